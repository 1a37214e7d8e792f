import AuditRecords
import DICOMCodec
import DICOMCore
import Foundation
import Jobs

/// `dicom-review check` as a job of the batch engine: one de-identified file checked against its original,
/// the outcomes taken in input order (findings printed, the re-identification trail written, in that order).
package struct CheckJob: Sendable {
    /// What checking one input came to.
    package enum Outcome: Sendable {
        case checked(LeftoverCheckResult)
        /// Found in a folder and not DICOM.
        case skipped
        /// Could not be checked: why, in one line without the file's name.
        case failed(String)
    }

    package let check: LeftoverCheck
    /// Where the originals are, when they are files rather than the Encrypted Attributes.
    package let index: OriginalsIndex?

    package init(check: LeftoverCheck, index: OriginalsIndex?) {
        self.check = check
        self.index = index
    }

    /// Checks one input; a file that is not DICOM follows the batch's rule (``BatchInput/isSkipped(by:)``).
    package func run(_ input: InputScanner.Input) -> Outcome {
        do {
            return .checked(try examine(path: input.path))
        } catch where input.isSkipped(by: error) {
            return .skipped
        } catch where InputScanner.Input.isNotDICOM(error) {
            return .failed(FileOutcome.notDICOMReason)
        } catch {
            return .failed(BatchMessages.text(for: error))
        }
    }

    /// The file at `path` against its original: the file named in the audit log, or the key's restoration.
    /// - Throws: ``DICOMError`` when a file cannot be read; ``LeftoverCheckError`` when there is no original.
    package func examine(path: String) throws -> LeftoverCheckResult {
        let file = try Part10Reader.read(contentsOf: path)
        var original: Part10File?
        if let index {
            guard let originalPath = index.original(of: path) else {
                throw LeftoverCheckError(.noOriginal, "its original is not in the audit log, or no longer where the log says")
            }
            original = try Part10Reader.read(contentsOf: originalPath)
        }
        return try check.examine(file, original: original)
    }

    /// The trail's record of one input: its absolute path, and what the key opened (tags, never values).
    package static func record(input path: String, _ outcome: Outcome) -> ReidentificationRecord {
        var record = ReidentificationRecord()
        record.input = absolute(path)
        switch outcome {
        case .checked(let result):
            switch result.decryption {
            case .opened(let item, let tags):
                record.status = .checked
                record.item = item
                record.restoredTags = tags.map(\.description)
            case .failed(let message):
                record.status = .failed
                record.error = message
            case nil:
                record.status = .checked
            }
        case .skipped:
            record.status = .skipped
            record.reason = FileOutcome.notDICOMReason
        case .failed(let message):
            record.status = .failed
            record.error = message
        }
        return record
    }

    /// The trail outlives the working directory: paths in it are absolute.
    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}
