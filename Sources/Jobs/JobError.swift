// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// Why a batch could not start or an output could not be placed: a missing input, an unreadable folder, an
/// audit log that cannot be opened, an output name that would leave the output folder. One line, no patient
/// values (paths are the user's own).
public struct JobError: StructuredError {
    public typealias Code = ErrorCode<JobError>

    public struct Context: Sendable {}

    public let storage: ErrorStorage<JobError>
    public init(storage: ErrorStorage<JobError>) { self.storage = storage }

    /// - Parameters:
    ///   - reason: the whole message, one line.
    ///   - cause: the underlying error, if any.
    public init(_ code: Code, _ reason: String, cause: (any Error)? = nil, fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(), reason: reason, cause: cause, fileID: fileID, line: line)
    }

    public var description: String { reasonWithCause }
}

extension ErrorCode<JobError> {
    /// An input path that does not exist.
    public static var inputNotFound: Self { Self("inputNotFound", words: "input not found") }
    /// A folder that cannot be listed.
    public static var unreadableFolder: Self { Self("unreadableFolder", words: "folder cannot be read") }
    /// The audit log cannot be created or opened, or would sit inside the output folder.
    public static var auditLog: Self { Self("auditLog", words: "audit log unusable") }
    /// An output name built from the file would leave the output folder.
    public static var unsafeOutputName: Self { Self("unsafeOutputName", words: "unsafe output name") }
    /// Two inputs with one SOP Instance UID and different content, and no distinct UID could be made.
    public static var duplicateInstance: Self { Self("duplicateInstance", words: "duplicate SOP Instance UID") }
    /// An input that is not a DICOM file where one is required.
    public static var notDICOM: Self { Self("notDICOM", words: "not a DICOM file") }
    /// An input that could not be read or planned (the cause says why).
    public static var inputFailed: Self { Self("inputFailed", words: "input failed") }
    /// Nothing to work on.
    public static var noInput: Self { Self("noInput", words: "no input files") }
}
