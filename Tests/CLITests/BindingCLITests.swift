import DICOMCodec
import DICOMCore
import DICOMTestSupport
import FileSystem
import Foundation
import Testing

/// `dicom-reidentify` restores only what belongs to the file: another file's Encrypted Attributes (swapped in or
/// appended) and a file changed after de-identification are refused with one line, exit 1, nothing written;
/// `--accept-modified` restores a changed file and the audit trail says what changed.
struct BindingCLITests {
    /// A CT and an MR de-identified by the tool, and tampered copies of the CT, each in a folder of its own.
    static func tamperedInputs(_ sandbox: Sandbox) throws -> [String: String] {
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("CT"))
        try sandbox.deidentify([Sandbox.fixture("mr-explicit-le.dcm")], into: sandbox.path("MR"))
        let ctPath = try Sandbox.onlyFile(under: sandbox.path("CT"))
        let ct = try Part10Reader.read(contentsOf: ctPath)
        let mr = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: sandbox.path("MR")))
        let mrItems = try #require(mr.dataSet[Tag(0x0400, 0x0500)])
        var tampered: [String: Part10File] = [:]
        var swapped = ct
        swapped.dataSet.set(mrItems)
        tampered["swapped"] = swapped
        var appended = ct
        var items = try #require(ct.dataSet[Tag(0x0400, 0x0500)]?.sequence)
        items.items += try #require(mrItems.sequence).items
        appended.dataSet.set(DataElement(tag: Tag(0x0400, 0x0500), vr: .SQ, value: .sequence(items)))
        tampered["appended"] = appended
        var kept = ct
        kept.dataSet.set(DataElement(tag: Tag(0x0008, 0x0060), vr: .CS, string: "MR"))
        tampered["kept-changed"] = kept
        var pixel = ct
        var bytes = Array(try #require(ct.dataSet[Tag(0x7FE0, 0x0010)]?.bytes))
        bytes[bytes.count / 2] ^= 0x01
        pixel.dataSet.set(DataElement(tag: Tag(0x7FE0, 0x0010), vr: .OW, bytes: bytes))
        tampered["pixel-changed"] = pixel
        var removed = ct
        removed.dataSet.remove(Tag(0x0008, 0x0060))
        tampered["kept-removed"] = removed
        var paths: [String: String] = [:]
        for (name, file) in tampered {
            let folder = sandbox.path("T/\(name)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            paths[name] = folder + "/in.dcm"
            try Data(try Part10Writer.encode(file)).write(to: URL(fileURLWithPath: paths[name]!))
        }
        return paths
    }

    @Test func anotherFilesItemOrAChangedFileIsRefused() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let inputs = try Self.tamperedInputs(sandbox)
        let expected = ["swapped": "was made for another file", "appended": "item 2 was made for another file",
                        "kept-changed": "changed (0008,0060)", "pixel-changed": "changed (7FE0,0010)",
                        "kept-removed": "removed (0008,0060)"]
        for (name, input) in inputs.sorted(by: { $0.key < $1.key }) {
            let output = sandbox.path("R-\(name)")
            let outcome = try sandbox.run(.reidentify, [input, "--output", output, "--key", Sandbox.keyA,
                                                        "--audit-log", sandbox.path("trail.jsonl")])
            #expect(outcome.status == 1, "\(name): \(outcome.stderrText)")
            let errors = outcome.stderrLines.filter { $0.hasPrefix("error:") }
            #expect(errors.count == 1 && errors[0].contains(input) && errors[0].contains(expected[name]!),
                    "\(name): \(outcome.stderrText)")
            #expect(Sandbox.files(under: output).isEmpty, "\(name): nothing is written")
            // --verify refuses them too.
            let verify = try sandbox.run(.reidentify, [input, "--verify", "--key", Sandbox.keyA,
                                                       "--audit-log", sandbox.path("trail.jsonl")])
            #expect(verify.status == 1, "\(name) --verify: \(verify.stderrText)")
        }
    }

    @Test func acceptModifiedRestoresAChangedFileAndTheTrailSaysSo() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let inputs = try Self.tamperedInputs(sandbox)
        let trail = sandbox.path("trail.jsonl")
        for name in ["kept-changed", "pixel-changed", "kept-removed"] {
            let output = sandbox.path("R-\(name)")
            let outcome = try sandbox.run(.reidentify, [inputs[name]!, "--output", output, "--key", Sandbox.keyA,
                                                        "--accept-modified", "--audit-log", trail])
            #expect(outcome.status == 0, "\(name): \(outcome.stderrText)")
            #expect(outcome.stderrLines.contains { $0.hasPrefix("warning:") && $0.contains("changed after de-identification") },
                    "\(name): \(outcome.stderrText)")
            #expect(Sandbox.files(under: output).count == 1)
        }
        // Another file's item stays refused.
        let swapped = try sandbox.run(.reidentify, [inputs["swapped"]!, "--output", sandbox.path("R-swapped"),
                                                    "--key", Sandbox.keyA, "--accept-modified", "--audit-log", trail])
        #expect(swapped.status == 1)
        let records = try ReidentificationAuditTests.records(trail).filter { $0["status"] as? String == "written" }
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0["binding"] as? String == "modified-accepted" })
        #expect(Set(records.compactMap { ($0["changedTags"] as? [String])?.first }) == ["(0008,0060)", "(7FE0,0010)"])
    }

    @Test func untouchedOutputsAreVerifiedAsBound() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("D"))
        let verify = try sandbox.run(.reidentify, [sandbox.path("D"), "--verify", "--key", Sandbox.keyA,
                                                   "--audit-log", sandbox.path("trail.jsonl")])
        #expect(verify.status == 0, "\(verify.stderrText)")
        #expect(verify.stderrText.contains("bound to this file"), "\(verify.stderrText)")
        let record = try #require(try ReidentificationAuditTests.records(sandbox.path("trail.jsonl")).first)
        #expect(record["binding"] as? String == "verified")
    }
}

extension BindingCLITests {
    /// gdcmanon's items carry no binding: restored, with one warning that nothing showed they belong to the file.
    @Test(.enabled(if: Peer.runnable(.gdcmanon), Comment(rawValue: Peer.skipReason(.gdcmanon))))
    func anUnboundItemFromGDCMIsRestoredWithAWarning() throws {
        let gdcmanon = try Peer.gdcmanon.require()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("gdcm.dcm")
        let made = try gdcmanon.run(["-e", "-c", Sandbox.recipientA, "--input", Sandbox.fixture("ct-explicit-le.dcm"),
                                     "--output", input])
        try #require(made.status == 0, "gdcmanon -e: \(made.stderrText)")
        let trail = sandbox.path("trail.jsonl")
        let outcome = try sandbox.run(.reidentify, [input, "--output", sandbox.path("R"), "--key", Sandbox.keyA,
                                                    "--audit-log", trail])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(outcome.stderrLines.filter { $0.hasPrefix("warning:") && $0.contains("carry no binding") }.count == 1,
                "\(outcome.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R")).count == 1)
        let record = try #require(try ReidentificationAuditTests.records(trail).first)
        #expect(record["binding"] as? String == "absent")
    }
}
