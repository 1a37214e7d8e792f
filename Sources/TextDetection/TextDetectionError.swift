// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// Why text could not be detected: Tesseract cannot start, or a frame cannot be read. One line; never a pixel
/// value or a word read.
///
/// Equality and hashing use ``code`` only.
public struct TextDetectionError: StructuredError {
    /// The kind of failure. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<TextDetectionError>
    /// These errors carry nothing besides code, reason and cause (their `init(_:_:cause:)` is StructuredError's).
    public typealias Context = Void

    public let storage: ErrorStorage<TextDetectionError>
    public init(storage: ErrorStorage<TextDetectionError>) { self.storage = storage }

    /// The reason, then `: cause` when there is one.
    public var description: String { oneLine(reasonWithCause) }
}

extension ErrorCode<TextDetectionError> {
    /// Tesseract's trained data for the language is not where Tesseract looks (or is not readable).
    public static var missingLanguageData: Self { Self("missingLanguageData", words: "Tesseract language data missing") }
    /// Tesseract's shared library cannot be loaded, or is not Tesseract 5's C API.
    public static var missingLibrary: Self { Self("missingLibrary", words: "Tesseract library missing") }
    /// A frame larger than frames are decoded here (``PixelData/PixelDescription/maximumDecodedFrameSamples``).
    public static var frameTooLarge: Self { Self("frameTooLarge", words: "frame too large for text detection") }
    /// A frame this module cannot turn into an image: samples that do not fit the description, a photometric
    /// interpretation it does not read (PALETTE COLOR).
    public static var unreadableFrame: Self { Self("unreadableFrame", words: "frame cannot be read for text detection") }
    /// Tesseract failed on an image it was given.
    public static var recognitionFailed: Self { Self("recognitionFailed", words: "text recognition failed") }
}
