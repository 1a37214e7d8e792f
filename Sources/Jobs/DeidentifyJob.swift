import Hashing
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import FileSystem

/// The work of `dicom-deidentify` for one input file: read, de-identify, encode, write a temporary output.
package struct DeidentifyJob: Sendable {
    /// The de-identifier (profile, secret, recipients).
    package let deidentifier: Deidentifier
    /// The output folder, where the temporary is written.
    package let outputRoot: String
    /// How outputs are named: by the new UIDs, or by the input's relative path.
    package let layout: OutputLayout

    /// `--quarantine`: where inputs refused by `--clean-pixel-data` are copied for review.
    package let quarantine: String?

    /// The inputs that share a SOP Instance UID with a different input and take a distinct UID (``SharedInstances``).
    package let distinctInstances: Set<String>

    package init(deidentifier: Deidentifier, outputRoot: String, layout: OutputLayout, quarantine: String? = nil,
                 distinctInstances: Set<String> = []) {
        self.deidentifier = deidentifier
        self.outputRoot = outputRoot
        self.layout = layout
        self.quarantine = quarantine
        self.distinctInstances = distinctInstances
    }

    /// De-identifies `input` into a temporary file (not flushed: the committer flushes a group at once).
    package func run(_ input: InputScanner.Input) -> FileOutcome {
        guard distinctInstances.contains(input.path) else { return run(input, distinctInstance: false) }
        var outcome = run(input, distinctInstance: true)
        if case .written(var written) = outcome {
            written.notes.append("another input has the same SOP Instance UID with different content: written with a distinct new SOP Instance UID (the plain mapping goes to the content with the lowest keyed digest; the original is restored on re-identification)")
            outcome = .written(written)
        }
        return outcome
    }

    /// The same with a SOP Instance UID of its own, derived from the secret and the input's bytes: for an
    /// input whose instance UID an earlier input with different content already gave.
    package func runAsDistinctInstance(_ input: InputScanner.Input) -> FileOutcome {
        run(input, distinctInstance: true)
    }

    private func run(_ input: InputScanner.Input, distinctInstance: Bool) -> FileOutcome {
        do {
            let file = try Part10Reader.read(contentsOf: input.path)
            if file.meta[Tag(0x0002, 0x0002)]?.string() == "1.2.840.10008.1.3.10" {
                return .skipped(reason: "DICOMDIR not copied: its records list patient names and IDs; make a new one from the output")
            }
            var notes: [String] = []
            if file.layout == .rawDataSet { notes.append("not a Part 10 file (no file meta); written as Part 10") }
            if file.layout == .metaWithoutPreamble { notes.append("file had no preamble; written as Part 10") }
            var distinction: [UInt8]?
            if distinctInstance {
                distinction = KeyedDigest.hmacSHA256(key: deidentifier.settings.keys.secret,
                                                     message: try FileIO.readAll(path: input.path))
            }
            let result = try deidentifier.deidentify(file, distinctInstance: distinction)
            notes += result.plan.notes
            let chunks = try Part10Writer.encodeChunks(result.file)
            let name = layout.name(for: input, study: result.studyInstanceUID, series: result.seriesInstanceUID,
                                   instance: result.sopInstanceUID)
            let temporary = try FileIO.writeTemporary(chunks: chunks.slices, inDirectory: outputRoot,
                                                      prefix: OutputNaming.temporaryPrefix, sync: false)
            var record: [String: AuditValue] = ["sopInstanceUID": .string(result.sopInstanceUID),
                                                "actions": .object(result.plan.actionCounts)]
            if !result.plan.removedPrivateByCreator.isEmpty {
                // Creators name vendors' blocks, not patients: a curator reviews what was dropped.
                record["privateRemovedByCreator"] = .object(result.plan.removedPrivateByCreator)
            }
            if let pixels = result.plan.pixelCleaning {
                switch pixels.outcome {
                case .clean: record["pixels"] = .string("cleaned (113101): \(pixels.rectangles.count) rectangles x \(pixels.frameCount) frames")
                case .notNeeded: record["pixels"] = .string("not cleaned: nothing suggests burned-in text")
                case .acceptedUncleaned(let reason): record["pixels"] = .string("NOT cleaned, accepted: \(reason)")
                }
            }
            if let study = result.studyInstanceUID { record["studyInstanceUID"] = .string(study) }
            if let series = result.seriesInstanceUID { record["seriesInstanceUID"] = .string(series) }
            return .written(WrittenOutput(temporary: temporary, name: name, record: record, notes: notes,
                                          instance: InstanceIdentity(sopInstanceUID: result.sopInstanceUID)))
        } catch let error as DICOMError where error.code == .notDICOM {
            return .skipped(reason: FileOutcome.notDICOMReason)
        } catch let error as DeidentificationError where quarantine != nil && Self.quarantinedCodes.contains(error.code) {
            return .failed(Quarantine.copy(input.path, refusal: error, into: quarantine ?? ""))
        } catch {
            return .failed(error)
        }
    }

    /// Whether an existing de-identified file is the output a rerun would write: the same file meta and data set
    /// apart from the Encrypted Attributes Sequence (0400,0500), which differs on every run (a fresh content key).
    /// An input changed only in attributes the profile removes therefore counts as done: `--overwrite` rewrites.
    package static func isSameOutput(_ existing: String, _ temporary: String) -> Bool {
        guard var old = try? Part10Reader.read(contentsOf: existing), var new = try? Part10Reader.read(contentsOf: temporary) else {
            return false
        }
        _ = old.dataSet.remove(.encryptedAttributesSequence)
        _ = new.dataSet.remove(.encryptedAttributesSequence)
        guard let oldBytes = try? Part10Writer.encode(old), let newBytes = try? Part10Writer.encode(new) else { return false }
        return oldBytes == newBytes
    }

    /// The refusals of `--clean-pixel-data` whose inputs `--quarantine` copies aside.
    static let quarantinedCodes: Set<DeidentificationError.Code> = [.pixelsNotCleaned, .unsupportedPixelEncoding, .invalidPixelData]
}
