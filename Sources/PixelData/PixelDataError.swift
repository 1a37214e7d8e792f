// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// Why pixel data could not be described, decoded, cleaned or restored. One line naming the frame, fragment or
/// attribute; never a pixel or patient value.
public struct PixelDataError: StructuredError {
    public typealias Code = ErrorCode<PixelDataError>

    /// The frame concerned, when there is one (0-based); for a rules file, the file and line.
    public struct Context: Sendable {
        let frame: Int?
        var file: String? = nil
        var line: Int? = nil
    }

    public let storage: ErrorStorage<PixelDataError>
    public init(storage: ErrorStorage<PixelDataError>) { self.storage = storage }

    /// - Parameters:
    ///   - reason: what is wrong, in a few words.
    ///   - frame: the frame concerned (0-based), when there is one.
    ///   - cause: the underlying error, if any.
    public init(_ code: Code, _ reason: String = "", frame: Int? = nil, cause: (any Error)? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(frame: frame), reason: reason, cause: cause, fileID: fileID, line: line)
    }

    /// A rules file error: `file:line: reason`.
    /// - Parameters:
    ///   - file: the rules file as named by the user.
    ///   - line: the 1-based line.
    public init(_ code: Code, _ reason: String, file: String, line: Int, fileID: String = #fileID, thrownLine: Int = #line) {
        self = .make(code, context: Context(frame: nil, file: file, line: line), reason: reason, cause: nil,
                     fileID: fileID, line: thrownLine)
    }

    /// The frame concerned (0-based), when there is one.
    public var frame: Int? { context.frame }
    /// The rules file concerned, when there is one.
    public var file: String? { context.file }
    /// The 1-based line of the rules file, when there is one.
    public var line: Int? { context.line }

    /// `frame 3: corrupt frame: RLE segment 2 runs past the frame`, or `rules.script:12: unknown method foo`.
    public var description: String {
        if let file { return oneLine("\(file):\(line ?? 0): " + reasonWithCause) }
        var text = code.words
        if !reason.isEmpty { text += ": " + reason }
        if let cause { text += ": \(cause)" }
        if let frame { text = "frame \(frame + 1): " + text }
        return oneLine(text)
    }
}

extension ErrorCode<PixelDataError> {
    /// Image Pixel attributes missing, inconsistent or out of range (Rows, Columns, Bits Allocated...).
    public static var invalidDescription: Self { Self("invalidDescription", words: "invalid image pixel description") }
    /// Pixel Data shorter than its description needs, or a fragment shorter than it says.
    public static var truncated: Self { Self("truncated", words: "pixel data truncated") }
    /// A transfer syntax whose frames this toolkit cannot decode and write back.
    public static var unsupportedTransferSyntax: Self { Self("unsupportedTransferSyntax", words: "transfer syntax cannot be cleaned") }
    /// An encoded frame that does not decode (corrupt JPEG, RLE header lying about its segments).
    public static var corruptFrame: Self { Self("corruptFrame", words: "corrupt frame") }
    /// A codec library failed to encode or decode.
    public static var codecFailed: Self { Self("codecFailed", words: "codec failed") }
    /// A pixel rules file that does not parse.
    public static var invalidRules: Self { Self("invalidRules", words: "invalid pixel rules") }
    /// Saved original pixels that do not fit the pixel data they should restore.
    public static var invalidPatch: Self { Self("invalidPatch", words: "original pixels do not fit") }
}
