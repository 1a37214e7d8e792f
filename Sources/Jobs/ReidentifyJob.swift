import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import FileSystem

/// The work of `dicom-reidentify` for one input file: decrypt, restore, and write or only verify.
package struct ReidentifyJob: Sendable {
    package let reidentifier: Reidentifier
    /// Restore only these attributes; nil restores all.
    package let only: Set<Tag>?
    /// The output folder; nil when only verifying.
    package let outputRoot: String?
    /// How outputs are named: by the restored UIDs, or by the input's relative path.
    package let layout: OutputLayout

    package init(reidentifier: Reidentifier, only: Set<Tag>?, outputRoot: String?, layout: OutputLayout) {
        self.reidentifier = reidentifier
        self.only = only
        self.outputRoot = outputRoot
        self.layout = layout
    }

    /// What the audit trail says of one file besides its paths: which attributes came back, from which item.
    static func record(_ result: ReidentificationResult) -> ReidentificationRecord {
        var record = ReidentificationRecord()
        record.restoredTags = result.restoredTags.map(\.description)
        record.item = result.itemIndex + 1
        switch result.binding {
        case .verified:
            record.binding = "verified"
        case .absent:
            record.binding = "absent"
        case .modifiedAccepted(let difference):
            record.binding = "modified-accepted"
            record.changedTags = difference.tags.map(\.description)
        }
        return record
    }

    /// The warning for a binding that was not verified, or nil.
    static func bindingNote(_ binding: BindingCheck) -> String? {
        switch binding {
        case .verified:
            return nil
        case .absent:
            return "the encrypted attributes carry no binding to their file (another tool's, or an older version's): could not check that they belong to this file"
        case .modifiedAccepted(let difference):
            return "changed after de-identification (\(difference)); restored as asked (--accept-modified), so the output is not the original byte for byte"
        }
    }

    /// Re-identifies `input`: into a temporary output (mode 0600: it holds identity again), or, without an output
    /// folder, only checks that it restores to a data set that reads back completely.
    package func run(_ input: InputScanner.Input) -> FileOutcome {
        do {
            let file = try Part10Reader.read(contentsOf: input.path)
            let result = try reidentifier.reidentify(file, only: only)
            guard let outputRoot else {
                let recipients = result.envelope.recipients.map { "\($0)" }.joined(separator: "; ")
                let cipher = result.envelope.cipher.map { "\($0)" } ?? result.envelope.cipherOID
                // The restored file must read back completely to be reported good.
                _ = try Part10Reader.read(bytes: try Part10Writer.encode(result.file))
                let bound = Self.bindingNote(result.binding).map { "; warning: \($0)" } ?? ", bound to this file"
                return .checked(report: "ok: item \(result.itemIndex + 1) of \(result.itemCount), encrypted for \(recipients), \(cipher), restores \(result.restoredCount) attributes\(bound)",
                                record: Self.record(result))
            }
            var notes: [String] = Self.bindingNote(result.binding).map { [$0] } ?? []
            if result.itemCount > 1 {
                notes.append("\(result.itemCount) Encrypted Attributes items; restored item \(result.itemIndex + 1), the newest this key opens; the others stay in the output")
            }
            let chunks = try Part10Writer.encodeChunks(result.file)
            let ds = result.file.dataSet
            let name = layout.name(for: input, study: ds[.studyInstanceUID]?.string(), series: ds[.seriesInstanceUID]?.string(),
                                   instance: ds[.sopInstanceUID]?.string())
            // Restored files hold patient data again: readable by their owner only.
            let temporary = try FileIO.writeTemporary(chunks: chunks.slices, inDirectory: outputRoot,
                                                      prefix: OutputNaming.temporaryPrefix, mode: 0o600, sync: false)
            return .written(WrittenOutput(temporary: temporary, name: name, record: Self.record(result), notes: notes))
        } catch let error as DICOMError where error.code == .notDICOM {
            return input.notDICOMOutcome
        } catch {
            return .failed(error)
        }
    }
}
