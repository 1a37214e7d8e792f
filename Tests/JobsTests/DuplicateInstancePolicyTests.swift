import DICOMCodec
import DICOMCore
import DICOMTestSupport
import FileSystem
import Foundation
import Jobs
import Testing

/// De-identification's commit policy: one output per SOP Instance UID, decided from the digests the job computed
/// as it read each input (no input is read again at commit).
@Suite struct DuplicateInstancePolicyTests {
    /// Two inputs with one SOP Instance UID: the fixture and a copy with another Patient's Name.
    static func twoContentsOneUID(in directory: TemporaryDirectory) throws -> [InputScanner.Input] {
        let fixture = RepositoryPaths.fixtures.appendingPathComponent("mr-explicit-le.dcm").path
        var file = try Part10Reader.read(contentsOf: fixture)
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, string: "Other^Patient"))
        let changed = directory.url.appendingPathComponent("changed.dcm").path
        try Data(Part10Writer.encode(file)).write(to: URL(fileURLWithPath: changed))
        return [InputScanner.Input(path: fixture, relativePath: "a.dcm", isNamed: true),
                InputScanner.Input(path: changed, relativePath: "b.dcm", isNamed: true)]
    }

    /// As the command runs it: both contents are kept, under distinct names and distinct instance UIDs, with a
    /// warning for the one that gave up the plain mapping.
    @Test func differentContentsWithOneUIDAreBothKeptUnderDistinctNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("out").path
        try FileIO.makeDirectories(root)
        let inputs = try Self.twoContentsOneUID(in: directory)
        let reporter = CollectingReporter()
        let summary = try JobTests.run(inputs, into: root, reporter: reporter)
        #expect(summary.written == 2 && summary.failed == 0 && summary.skipped == 0)
        let outputs = JobTests.outputs(under: root)
        #expect(outputs.count == 2)
        #expect(Set(outputs).count == 2 && !outputs.contains { $0.contains("-2") }, "\(outputs)")
        let uids = try Set(outputs.map { try Part10Reader.read(contentsOf: root + "/" + $0).dataSet[Tag(0x0008, 0x0018)]?.string() })
        #expect(uids.count == 2)
        #expect(reporter.events.count == 1)
        if case .warning(let text)? = reporter.events.first?.event {
            #expect(text.contains("same SOP Instance UID"))
        } else {
            Issue.record("expected one warning: \(reporter.events)")
        }
    }

    /// Without the pre-pass nothing chose a distinct UID (a profile that gives different inputs one UID, an input
    /// changed since the pre-pass): the later content is made again with a distinct UID, never lost, never placed
    /// under the earlier one's UID (two instances with one UID collide in any archive).
    @Test func differentContentsWithOneUIDWithoutThePrePassAreBothWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("out").path
        try FileIO.makeDirectories(root)
        let inputs = try Self.twoContentsOneUID(in: directory)
        // The job digests both (it is told they share a UID) but neither takes a distinct UID.
        let job = DeidentifyJob(deidentifier: try JobTests.deidentifier(), outputRoot: root, layout: .uids,
                                sharedInstances: SharedInstances(sharing: Set(inputs.map(\.path))))
        let reporter = CollectingReporter()
        let summary = BatchProcessor(inputs: inputs, jobs: 2, output: OutputSettings(root: root), audit: nil,
                                     reporter: reporter).run(job.run, policy: job.commitPolicy)
        #expect(summary.written == 2 && summary.failed == 0)
        guard case .warning(let text)? = reporter.events.first?.event, reporter.events.first?.input == inputs[1].path else {
            Issue.record("expected a warning for the second input: \(reporter.events)")
            return
        }
        #expect(text.contains("same SOP Instance UID as the output of \(inputs[0].path)"))
        let outputs = JobTests.outputs(under: root)
        #expect(outputs.count == 2)
        let uids = try Set(outputs.map { try Part10Reader.read(contentsOf: root + "/" + $0).dataSet[Tag(0x0008, 0x0018)]?.string() })
        #expect(uids.count == 2)
    }

    /// The decision itself: equal digests are an identical copy (skipped, the audit record says of which input);
    /// a missing or different digest is not taken for a copy: it is made again.
    @Test func thePolicyComparesTheDigestsTheJobComputed() throws {
        let job = DeidentifyJob(deidentifier: try JobTests.deidentifier(), outputRoot: "/nonexistent", layout: .uids)
        let policy = job.commitPolicy
        func output(_ digest: [UInt8]?) -> WrittenOutput {
            WrittenOutput(temporary: "t", name: "n", instance: InstanceIdentity(sopInstanceUID: "1.2.3", contentDigest: digest))
        }
        let a = InputScanner.Input(path: "a", relativePath: "a"), b = InputScanner.Input(path: "b", relativePath: "b")
        let c = InputScanner.Input(path: "c", relativePath: "c"), d = InputScanner.Input(path: "d", relativePath: "d")
        guard case .place = policy.admit(output([1, 2]), input: a) else { Issue.record("first not placed"); return }
        guard case .skip(let report, _) = policy.admit(output([1, 2]), input: b) else { Issue.record("copy not skipped"); return }
        #expect(report == "identical copy of a: not written again")
        guard case .remake = policy.admit(output([3, 4]), input: c) else { Issue.record("different content placed"); return }
        guard case .remake = policy.admit(output(nil), input: d) else { Issue.record("undigested content placed"); return }
        // Another UID is another instance.
        guard case .place = policy.admit(WrittenOutput(temporary: "t", name: "n", instance: InstanceIdentity(sopInstanceUID: "1.2.4")),
                                         input: d) else { Issue.record("another instance not placed"); return }
    }
}
