// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// A profile, script or disposition file that cannot be used: one line naming the file, the line and what is
/// wrong. Never holds a patient value (profiles hold none).
///
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: ProfileFileError(.invalid))`.
public struct ProfileFileError: StructuredError {
    /// The kind of failure. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<ProfileFileError>

    /// Where: the file and the line.
    public struct Context: Sendable {
        let file: String
        let line: Int?
    }

    public let storage: ErrorStorage<ProfileFileError>
    public init(storage: ErrorStorage<ProfileFileError>) { self.storage = storage }

    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - file: the file (or "command line", "mapping database").
    ///   - line: 1-based; nil when the problem is with the file as a whole.
    ///   - message: what is wrong; empty when the cause says it all.
    ///   - cause: the underlying error, if any.
    public init(_ code: Code = .invalid, file: String, line: Int?, _ message: String, cause: (any Error)? = nil,
                fileID: String = #fileID, thrownLine: Int = #line) {
        self = .make(code, context: Context(file: file, line: line), reason: message, cause: cause,
                     fileID: fileID, line: thrownLine)
    }

    /// A code alone (tests compare codes only).
    public init(_ code: Code, fileID: String = #fileID, thrownLine: Int = #line) {
        self.init(code, file: "", line: nil, "", fileID: fileID, thrownLine: thrownLine)
    }

    /// The file (or "command line", "mapping database").
    public var file: String { context.file }
    /// 1-based; nil when the problem is with the file as a whole.
    public var line: Int? { context.line }
    /// What is wrong, after the file and line: the reason and its cause, or the cause alone.
    public var message: String {
        if reason.isEmpty, let cause { return "\(cause)" }
        return reasonWithCause
    }

    /// One line: `file:line: message`.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

extension ErrorCode<ProfileFileError> {
    /// A profile or disposition file whose contents are wrong (syntax, unknown names, values out of range).
    public static var invalid: Self { Self("invalid", words: "invalid profile") }
    /// A file that cannot be read.
    public static var unreadable: Self { Self("unreadable", words: "unreadable file") }
    /// A CTP script the CTPScript module refused.
    public static var invalidScript: Self { Self("invalidScript", words: "invalid CTP script") }
    /// Profile options that do not go together, or a profile the request cannot use.
    public static var invalidRequest: Self { Self("invalidRequest", words: "invalid profile request") }
    /// The lookup table or mapping database a profile needs cannot be opened.
    public static var mappingUnavailable: Self { Self("mappingUnavailable", words: "mapping store unavailable") }
}
