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

    /// The inputs that share a SOP Instance UID with another, and which of them take a distinct UID.
    package let sharedInstances: SharedInstances

    /// - Parameter sharedInstances: the pre-pass over the same inputs (``SharedInstances/find(_:secret:jobs:)``);
    ///   without it, two inputs giving one SOP Instance UID with different content fail the later one at commit.
    package init(deidentifier: Deidentifier, outputRoot: String, layout: OutputLayout, quarantine: String? = nil,
                 sharedInstances: SharedInstances = SharedInstances()) {
        self.deidentifier = deidentifier
        self.outputRoot = outputRoot
        self.layout = layout
        self.quarantine = quarantine
        self.sharedInstances = sharedInstances
    }

    /// The commit policy of this job's outputs: one output per SOP Instance UID (``DuplicateInstancePolicy``).
    package var commitPolicy: DuplicateInstancePolicy { DuplicateInstancePolicy(job: self) }

    /// De-identifies `input` into a temporary file (not flushed: the committer flushes a group at once).
    package func run(_ input: InputScanner.Input) -> FileOutcome {
        guard sharedInstances.distinct.contains(input.path) else { return run(input, distinctInstance: false) }
        var outcome = run(input, distinctInstance: true)
        if case .written(var written) = outcome {
            written.notes.append("another input has the same SOP Instance UID with different content: written with a distinct new SOP Instance UID (the plain mapping goes to the content with the lowest keyed digest; the original is restored on re-identification)")
            outcome = .written(written)
        }
        return outcome
    }

    /// The same with a SOP Instance UID of its own, derived from the secret and the input's bytes: for an
    /// input whose plain output name an earlier run into the same folder took with a different instance.
    package func runAsDistinctInstance(_ input: InputScanner.Input) -> FileOutcome {
        run(input, distinctInstance: true)
    }

    private func run(_ input: InputScanner.Input, distinctInstance: Bool) -> FileOutcome {
        do {
            // The keyed digest of the content where it is needed, from the bytes read once: an input that shares
            // its SOP Instance UID with another (the commit policy tells identical copies from different contents
            // by it), or one that takes a distinct UID (derived from it).
            let needsDigest = distinctInstance || sharedInstances.sharing.contains(input.path)
            let (file, digest) = try InputFile.read(input.path, digestKey: needsDigest ? deidentifier.settings.keys.secret : nil)
            if file.meta[Tag(0x0002, 0x0002)]?.string() == "1.2.840.10008.1.3.10" {
                return .skipped(reason: "DICOMDIR not copied: its records list patient names and IDs; make a new one from the output")
            }
            var notes: [String] = []
            if file.layout == .rawDataSet { notes.append("not a Part 10 file (no file meta); written as Part 10") }
            if file.layout == .metaWithoutPreamble { notes.append("file had no preamble; written as Part 10") }
            let result = try deidentifier.deidentify(file, distinctInstance: distinctInstance ? digest : nil)
            notes += result.plan.notes
            let chunks = try Part10Writer.encodeChunks(result.file)
            let name = layout.name(for: input, study: result.studyInstanceUID, series: result.seriesInstanceUID,
                                   instance: result.sopInstanceUID)
            let temporary = try FileIO.writeTemporary(chunks: chunks.slices, inDirectory: outputRoot,
                                                      prefix: OutputNaming.temporaryPrefix, sync: false)
            var record = DeidentificationRecord()
            record.sopInstanceUID = result.sopInstanceUID
            record.studyInstanceUID = result.studyInstanceUID
            record.seriesInstanceUID = result.seriesInstanceUID
            record.actions = result.plan.actionCounts
            if !result.plan.removedPrivateByCreator.isEmpty {
                // Creators name vendors' blocks, not patients: a curator reviews what was dropped.
                record.privateRemovedByCreator = result.plan.removedPrivateByCreator
            }
            if let pixels = result.plan.pixelCleaning {
                switch pixels.outcome {
                case .clean: record.pixels = "cleaned (113101): \(pixels.rectangles.count) rectangles x \(pixels.frameCount) frames"
                case .notNeeded: record.pixels = "not cleaned: nothing suggests burned-in text"
                case .acceptedUncleaned(let reason): record.pixels = "NOT cleaned, accepted: \(reason)"
                }
            }
            return .written(WrittenOutput(temporary: temporary, name: name, record: record, notes: notes,
                                          instance: InstanceIdentity(sopInstanceUID: result.sopInstanceUID, contentDigest: digest)))
        } catch let error as DICOMError where error.code == .notDICOM {
            return input.notDICOMOutcome
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
