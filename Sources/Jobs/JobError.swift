// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// Why a batch could not start or an output could not be placed: a missing input, an unreadable folder, an
/// audit log that cannot be opened, an output name that would leave the output folder. One line, no patient
/// values (paths are the user's own).
package struct JobError: StructuredError {
    package typealias Code = ErrorCode<JobError>

    package struct Context: Sendable {}

    package let storage: ErrorStorage<JobError>
    package init(storage: ErrorStorage<JobError>) { self.storage = storage }

    /// - Parameters:
    ///   - reason: the whole message, one line.
    ///   - cause: the underlying error, if any.
    package init(_ code: Code, _ reason: String, cause: (any Error)? = nil, fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(), reason: reason, cause: cause, fileID: fileID, line: line)
    }

    package var description: String { reasonWithCause }
}

extension ErrorCode<JobError> {
    /// An input path that does not exist.
    package static var inputNotFound: Self { Self("inputNotFound", words: "input not found") }
    /// A folder that cannot be listed.
    package static var unreadableFolder: Self { Self("unreadableFolder", words: "folder cannot be read") }
    /// The audit log cannot be created or opened, or would sit inside the output folder.
    package static var auditLog: Self { Self("auditLog", words: "audit log unusable") }
    /// An output name built from the file would leave the output folder.
    package static var unsafeOutputName: Self { Self("unsafeOutputName", words: "unsafe output name") }
    /// Two inputs with one SOP Instance UID and different content, and no distinct UID could be made.
    package static var duplicateInstance: Self { Self("duplicateInstance", words: "duplicate SOP Instance UID") }
    /// An input that is not a DICOM file where one is required.
    package static var notDICOM: Self { Self("notDICOM", words: "not a DICOM file") }
    /// An input refused by `--clean-pixel-data` and copied to the quarantine folder (or not, the reason says).
    package static var quarantined: Self { Self("quarantined", words: "refused and quarantined") }
    /// An input that could not be read or planned (the cause says why).
    package static var inputFailed: Self { Self("inputFailed", words: "input failed") }
    /// A `--files-from` list that cannot be read, or names a file that is not there.
    package static var fileList: Self { Self("fileList", words: "file list unusable") }
    /// A scale-out plan that cannot be made, read or run (another secret, a file changed since planning).
    package static var plan: Self { Self("plan", words: "plan unusable") }
    /// Nothing to work on.
    package static var noInput: Self { Self("noInput", words: "no input files") }
}
