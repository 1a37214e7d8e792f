import DICOMCodec
import DICOMCore
import DICOMTestSupport
import FileSystem
import Foundation
import Testing

/// A run killed half-way can be run again to completion: outputs already there and the same count as done, names
/// taken by different files move on (X-2) or get a distinct instance UID, and nothing is reported as an error.
@Suite struct ResumeTests {
    /// The five CT fixtures, one instance in five transfer syntaxes: one original SOP Instance UID, five contents.
    static let sharedInstance = ["ct-deflated.dcm", "ct-explicit-be.dcm", "ct-explicit-le.dcm", "ct-implicit-le.dcm", "ct-rle.dcm"]
        .map(Sandbox.fixture)

    static func contents(of folder: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for name in Sandbox.files(under: folder) { result[name] = try FileIO.readAll(path: folder + "/" + name) }
        return result
    }

    @Test func aRestoreRunAgainAfterAKillFinishesWithTheSameNames() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify(Self.sharedInstance, into: sandbox.path("DEID"))
        let restored = sandbox.path("R")
        let first = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", restored, "--key", Sandbox.keyA])
        #expect(first.status == 0, "\(first.stderrText)")
        let complete = try Self.contents(of: restored)
        let names = complete.keys.sorted()
        #expect(names.count == 5)
        #expect(names.filter { $0.hasSuffix("-2.dcm") || $0.hasSuffix("-5.dcm") }.count == 2, "\(names)")
        // What a kill -9 after the first outputs leaves: some names there, others not yet.
        for name in names.filter({ $0.hasSuffix("-3.dcm") || $0.hasSuffix("-5.dcm") }) { try FileManager.default.removeItem(atPath: restored + "/" + name) }

        let again = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", restored, "--key", Sandbox.keyA])
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(!again.stderrText.contains("error:"), "\(again.stderrText)")
        #expect(again.stderrLines.filter { $0.contains("already done") }.count == 4, "\(again.stderrText)")
        #expect(try Self.contents(of: restored) == complete, "the rerun restored other names or other bytes")
    }

    @Test func aDeidentificationRunAgainCountsItsOutputsAsDone() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let inputs = Self.sharedInstance + [Sandbox.fixture("mr-explicit-le.dcm")]
        try sandbox.deidentify(inputs, into: sandbox.path("DEID"))
        let before = try Self.contents(of: sandbox.path("DEID"))
        let again = try sandbox.run(.deidentify, inputs + ["--output", sandbox.path("DEID"), "--recipient", Sandbox.recipientA])
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(!again.stderrText.contains("error:"), "\(again.stderrText)")
        #expect(again.stderrLines.filter { $0.hasPrefix("skipped: ") && $0.contains("already done") }.count == inputs.count, "\(again.stderrText)")
        #expect(try Self.contents(of: sandbox.path("DEID")) == before, "an existing output was replaced")
    }

    /// Two runs into one folder, each with one of two different instances sharing a SOP Instance UID.
    @Test func aDifferentInstanceWithTheUIDOfAnEarlierRunsOutputGetsADistinctUID() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let out = sandbox.path("DEID")
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: out)
        let second = try sandbox.deidentify([Sandbox.fixture("ct-implicit-le.dcm")], into: out)
        #expect(second.stderrLines.contains { $0.contains("an earlier run wrote a different instance with the same SOP Instance UID") },
                "\(second.stderrText)")
        let files = Sandbox.files(under: out)
        #expect(files.count == 2)
        let uids = try Set(files.map { try Part10Reader.read(contentsOf: out + "/" + $0).dataSet[Tag(0x0008, 0x0018)]?.string() ?? "" })
        #expect(uids.count == 2, "two instances share one new UID")
        let third = try sandbox.deidentify([Sandbox.fixture("ct-implicit-le.dcm")], into: out)
        #expect(third.stderrLines.contains { $0.contains("already done") }, "\(third.stderrText)")
        #expect(Sandbox.files(under: out) == files)
    }
}

/// Inputs sharing a SOP Instance UID: which gets the plain mapping does not depend on input order.
@Suite struct SharedInstanceOrderTests {
    @Test func thePlainMappingDoesNotDependOnInputOrder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let inputs = ["ct-explicit-le.dcm", "ct-explicit-be.dcm", "ct-implicit-le.dcm", "ct-rle.dcm"].map(Sandbox.fixture)
        let forward = try sandbox.deidentify(inputs, into: sandbox.path("FORWARD"))
        let backward = try sandbox.deidentify(inputs.reversed(), into: sandbox.path("BACKWARD"))
        let names = Sandbox.files(under: sandbox.path("FORWARD"))
        #expect(names.count == inputs.count)
        #expect(Sandbox.files(under: sandbox.path("BACKWARD")) == names, "input order changed which input got which UID")
        for outcome in [forward, backward] {
            #expect(outcome.stderrLines.filter { $0.contains("another input has the same SOP Instance UID") }.count == inputs.count - 1,
                    "\(outcome.stderrText)")
        }
        // Each input has the same output name in both runs (the audit logs map inputs to outputs).
        func outputs(_ log: String) throws -> [String: String] {
            var map: [String: String] = [:]
            for line in try String(contentsOfFile: sandbox.path(log), encoding: .utf8).split(separator: "\n") {
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let input = record?["input"] as? String, let output = record?["output"] as? String {
                    map[input] = URL(fileURLWithPath: output).lastPathComponent
                }
            }
            return map
        }
        #expect(try outputs("FORWARD-audit.jsonl") == outputs("BACKWARD-audit.jsonl"))
    }
}
