import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import FileSystem
import Foundation
import Jobs
import Testing

/// The per-file jobs and the dry run, run in-process over the fixtures: what the commands do, without spawning them.
@Suite struct JobTests {
    static let secret = Array("test-only secret for keyed mappings, not for real data".utf8)

    static func deidentifier() throws -> Deidentifier {
        let certificate = try RecipientCertificate(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path)
        return Deidentifier(settings: DeidentificationSettings(keys: MappingKeys(secret: secret), recipients: Recipients([certificate])))
    }

    static func reidentifier() throws -> Reidentifier {
        let key = try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
                                          passphrase: nil)
        return Reidentifier(key: key, certificate: nil)
    }

    static func fixtureInputs() throws -> [InputScanner.Input] {
        try InputScanner.files([RepositoryPaths.fixtures.path], unreadableFolder: { _, _ in }).filter { $0.path.hasSuffix(".dcm") }
    }

    /// De-identifies `inputs` as the command does: the shared-UID pre-pass, then the batch with the job's commit policy.
    static func run(_ inputs: [InputScanner.Input], into root: String, reporter: CollectingReporter) throws -> BatchSummary {
        let job = DeidentifyJob(deidentifier: try deidentifier(), outputRoot: root, layout: .uids,
                                sharedInstances: SharedInstances.find(inputs, secret: secret, jobs: 2))
        let processor = BatchProcessor(inputs: inputs, jobs: 2, output: OutputSettings(root: root), audit: nil,
                                       reporter: reporter)
        return processor.run(job.run, policy: job.commitPolicy)
    }

    static func outputs(under root: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".dcm") }.sorted()
    }

    /// The five CT fixtures are one instance (one SOP Instance UID) in five encodings: the content with the lowest
    /// keyed digest keeps the mapped UID, the others get distinct UIDs with a warning, so no two outputs share an instance UID; each still
    /// restores to its own original byte for byte.
    @Test func inputsSharingAnInstanceUIDGetDistinctUIDsAndStillRestore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let deidentified = directory.url.appendingPathComponent("deid").path
        let restored = directory.url.appendingPathComponent("restored").path
        try FileIO.makeDirectories(deidentified)
        try FileIO.makeDirectories(restored)
        let inputs = try Self.fixtureInputs()
        let reporter = CollectingReporter()
        let summary = try Self.run(inputs, into: deidentified, reporter: reporter)
        #expect(summary.written == inputs.count)
        #expect(summary.failed == 0)
        let outputs = Self.outputs(under: deidentified)
        #expect(outputs.count == inputs.count)
        var instanceUIDs = Set<String>()
        for name in outputs {
            let file = try Part10Reader.read(contentsOf: deidentified + "/" + name)
            let uid = try #require(file.dataSet[Tag(0x0008, 0x0018)]?.string())
            #expect(instanceUIDs.insert(uid).inserted, "two outputs share SOP Instance UID \(uid)")
            #expect(file.meta[Tag(0x0002, 0x0003)]?.string() == uid, "file meta names the same instance")
            #expect(!name.contains("-2"), "no suffixed duplicate names: \(name)")
        }
        let warnings = reporter.events.filter {
            if case .warning(let text) = $0.event { text.contains("same SOP Instance UID") } else { false }
        }
        #expect(warnings.count == 4, "\(reporter.events)")

        // Every output restores to the bytes of the input it came from.
        let reidentify = ReidentifyJob(reidentifier: try Self.reidentifier(), only: nil, outputRoot: restored, layout: .inputPaths)
        let restoreInputs = try InputScanner.files([deidentified], unreadableFolder: { _, _ in })
        let restoreSummary = BatchProcessor(inputs: restoreInputs, jobs: 2, output: OutputSettings(root: restored),
                                            audit: nil, reporter: CollectingReporter()).run(reidentify.run)
        #expect(restoreSummary.written == inputs.count)
        // Their data sets, as each was encoded (file meta and preamble are made anew on both sides; re-identification
        // adds Patient Identity Removed NO where the original had none).
        func dataSetBytes(_ path: String, droppingIdentityRemovedNO: Bool) throws -> [UInt8] {
            var file = try Part10Reader.read(contentsOf: path)
            if droppingIdentityRemovedNO, file.dataSet[Tag(0x0012, 0x0062)]?.string() == "NO" { file.dataSet.remove(Tag(0x0012, 0x0062)) }
            return try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(file.dataSet)
        }
        let originals = Set(try inputs.map { try dataSetBytes($0.path, droppingIdentityRemovedNO: false) })
        var matched = 0
        for input in restoreInputs {
            let bytes = try dataSetBytes(restored + "/" + input.relativePath, droppingIdentityRemovedNO: true)
            if originals.contains(bytes) { matched += 1 } else { Issue.record("\(input.relativePath) restores to no input") }
        }
        #expect(matched == inputs.count)
    }

    /// The same file given twice is written once; the copy is reported as skipped, not failed.
    @Test func anIdenticalCopyIsSkippedWithANote() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("out").path
        try FileIO.makeDirectories(root)
        let fixture = RepositoryPaths.fixtures.appendingPathComponent("mr-explicit-le.dcm").path
        let copy = directory.url.appendingPathComponent("copy.dcm").path
        try FileManager.default.copyItem(atPath: fixture, toPath: copy)
        let reporter = CollectingReporter()
        let summary = try Self.run([InputScanner.Input(path: fixture, relativePath: "a", isNamed: true),
                                    InputScanner.Input(path: copy, relativePath: "b", isNamed: true)],
                                   into: root, reporter: reporter)
        #expect(summary.written == 1)
        #expect(summary.skipped == 1)
        #expect(summary.skippedInputs.isEmpty, "an identical copy does not fail the run")
        #expect(reporter.events == [.init(input: copy, event: .skipped("identical copy of \(fixture): not written again"))])
        #expect(Self.outputs(under: root).count == 1)
    }

    /// A job's failure is an outcome with the library's error, one line without the file name (the report names it).
    @Test func aTruncatedFileFailsWithOneLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try FileIO.readAll(path: RepositoryPaths.fixtures.appendingPathComponent("mr-explicit-le.dcm").path)
        let truncated = directory.url.appendingPathComponent("truncated.dcm").path
        try Data(bytes.prefix(bytes.count - 100)).write(to: URL(fileURLWithPath: truncated))
        let job = DeidentifyJob(deidentifier: try Self.deidentifier(), outputRoot: directory.url.path, layout: .uids)
        guard case .failed(let error) = job.run(InputScanner.Input(path: truncated, relativePath: "truncated.dcm")) else {
            Issue.record("a truncated file was not refused")
            return
        }
        let text = BatchMessages.text(for: error)
        #expect(text.hasPrefix("length runs past its container at byte 0x"), "\(text)")
        #expect(!text.contains("truncated.dcm") && !text.contains("\n"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary left for a failed file")
    }

    /// One rule for both jobs: a file that is not DICOM is skipped when found in a folder, failed when named.
    @Test func aNonDICOMFileIsSkippedInAFolderAndFailedWhenNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = directory.url.appendingPathComponent("notes.txt").path
        try Data("not DICOM at all".utf8).write(to: URL(fileURLWithPath: text))
        let found = InputScanner.Input(path: text, relativePath: "notes.txt")
        let named = InputScanner.Input(path: text, relativePath: "notes.txt", isNamed: true)
        let deidentify = DeidentifyJob(deidentifier: try Self.deidentifier(), outputRoot: directory.url.path, layout: .uids)
        let reidentify = ReidentifyJob(reidentifier: try Self.reidentifier(), only: nil, outputRoot: nil, layout: .uids)
        for job in [deidentify.run, reidentify.run] as [(InputScanner.Input) -> FileOutcome] {
            guard case .skipped(let reason) = job(found) else { Issue.record("not skipped"); return }
            #expect(reason == "not a DICOM file")
            guard case .failed(let error) = job(named) else { Issue.record("not failed"); return }
            #expect("\(error)" == "not a DICOM file")
        }
    }

    /// `--verify`: checked, with the recipient and cipher, and nothing written.
    @Test func verifyingReportsTheEnvelope() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.path
        let fixture = RepositoryPaths.fixtures.appendingPathComponent("sc-utf8-explicit-le.dcm").path
        _ = try Self.run([InputScanner.Input(path: fixture, relativePath: "sc")], into: root, reporter: CollectingReporter())
        let output = try #require(Self.outputs(under: root).first)
        let job = ReidentifyJob(reidentifier: try Self.reidentifier(), only: nil, outputRoot: nil, layout: .uids)
        guard case .checked(let report, let record) = job.run(InputScanner.Input(path: root + "/" + output, relativePath: output)) else {
            Issue.record("not checked")
            return
        }
        #expect(report.hasPrefix("ok: item 1 of 1, encrypted for "), "\(report)")
        #expect(report.contains("aes-256-cbc"))
        let tags = try #require((record as? ReidentificationRecord)?.restoredTags, "no restored tags")
        #expect(tags.contains("(0010,0010)"))
    }

    /// The dry run lists every attribute of the file with its action and rule, and no value unless asked.
    @Test func dryRunListsEveryAttributeWithItsRule() throws {
        let path = RepositoryPaths.fixtures.appendingPathComponent("mr-explicit-le.dcm").path
        let input = InputScanner.Input(path: path, relativePath: "mr-explicit-le.dcm")
        let lines = try DryRun.lines(for: input, deidentifier: try Self.deidentifier(), showValues: false)
        #expect(lines.first == "# planned actions for \(path) (nothing written)")
        let patientName = try #require(lines.first { $0.hasPrefix("(0010,0010)") })
        #expect(patientName.contains("PN") && patientName.contains("(0010,0010)"), "\(patientName)")
        let file = try Part10Reader.read(contentsOf: path)
        let topLevel = Set(lines.dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { !$0.contains("[") })
        for element in file.dataSet.elements {
            #expect(topLevel.contains(element.tag.description), "\(element.tag) has a line")
        }
        let withValues = try DryRun.lines(for: input, deidentifier: try Self.deidentifier(), showValues: true)
        #expect(withValues.count == lines.count)
        #expect(throws: JobError(.noInput, "")) {
            try DryRun.lines(for: nil, deidentifier: try Self.deidentifier(), showValues: false)
        }
    }
}

/// The pre-pass over inputs sharing a SOP Instance UID: the plain mapping goes by keyed digest, not input order.
@Suite struct SharedInstancesTests {
    @Test func theSameInputsTakeDistinctUIDsInAnyOrder() throws {
        let inputs = ["ct-explicit-le.dcm", "ct-implicit-le.dcm", "ct-rle.dcm", "mr-explicit-le.dcm"].map { name in
            InputScanner.Input(path: RepositoryPaths.fixtures.appendingPathComponent(name).path, relativePath: name)
        }
        let forward = SharedInstances.find(inputs, secret: JobTests.secret, jobs: 2)
        let backward = SharedInstances.find(inputs.reversed(), secret: JobTests.secret, jobs: 1)
        #expect(forward.sharing.count == 3)
        #expect(forward.distinct.count == 2, "one of the three CT contents keeps the plain mapping")
        #expect(forward.distinct == backward.distinct)
        #expect(!forward.distinct.contains(inputs[3].path))
    }
}
