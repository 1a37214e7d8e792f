// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// The one error type of the Review module: why a file cannot be checked, or an inventory not written; one line.
///
/// Equality and hashing use ``code`` only. A Foundation failure (encoding, decoding, writing a report) arrives
/// wrapped, with the original as ``cause``; its message is then the original's.
public struct LeftoverCheckError: StructuredError {
    /// The kind of failure. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<LeftoverCheckError>
    /// These errors carry nothing besides code, reason and cause (their `init(_:_:cause:)` is StructuredError's).
    public typealias Context = Void

    public let storage: ErrorStorage<LeftoverCheckError>
    public init(storage: ErrorStorage<LeftoverCheckError>) { self.storage = storage }

    /// One line: the reason, then `: cause` when there is one; a wrapped error without a reason of its own
    /// reads as its cause.
    public var description: String {
        if reason.isEmpty, let cause { return "\(cause)" }
        return reasonWithCause
    }
}

extension ErrorCode<LeftoverCheckError> {
    /// Neither a key nor an original file to compare a de-identified file with.
    public static var noOriginal: Self { Self("noOriginal", words: "no original to compare with") }
    /// The de-identification audit log cannot be read.
    public static var unreadableAuditLog: Self { Self("unreadableAuditLog", words: "unreadable audit log") }
    /// An inventory could not be encoded, decoded or written.
    public static var reportFailed: Self { Self("reportFailed", words: "inventory report failed") }
    /// The pixels cannot be decoded, or a frame cannot be read by OCR (`--ocr`).
    public static var unreadablePixels: Self { Self("unreadablePixels", words: "pixels cannot be read for text") }
}
