import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// `dicom-deidentify` over the whole Fixtures folder, then `dicom-reidentify` back, with the built executables.
@Suite struct EndToEndTests {
    @Test func deidentifiesFixturesFolderAndReidentifiesEveryFileExactly() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let before = FixtureFiles.snapshot()
        let inputs = FixtureFiles.all
        let dicomInputs = FixtureFiles.dicom
        try #require(dicomInputs.count == 26, "fixtures: \(dicomInputs)")

        // De-identify.
        let out = sandbox.path("OUT")
        let deid = try sandbox.run(.deidentify, [Sandbox.fixtures, "--output", out, "--recipient", Sandbox.recipientA])
        #expect(deid.status == 0, "\(deid.stderrText)")

        let outputs = Sandbox.files(under: out)
        #expect(outputs.count == FixtureFiles.dicom.count, "\(outputs)")
        let uidName = #/2\.25\.[0-9]+/2\.25\.[0-9]+/2\.25\.[0-9]+(-[0-9]+)?\.dcm/#
        for output in outputs {
            #expect(output.wholeMatch(of: uidName) != nil, "output not named <study>/<series>/<instance>.dcm: \(output)")
            for input in inputs {
                let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
                #expect(!output.contains(stem), "output path \(output) carries the input name \(stem)")
            }
        }

        // Non-DICOM inputs are reported as skipped, each on its own line.
        let nonDICOM = inputs.filter { !dicomInputs.contains($0) }
        #expect(!nonDICOM.isEmpty)
        for name in nonDICOM {
            let lines = deid.stderrLines.filter { $0.hasPrefix("skipped: ") && $0.hasSuffix("Fixtures/" + name + ": not a DICOM file") }
            #expect(lines.count == 1, "no 'skipped' line for \(name): \(deid.stderrText)")
        }

        // The audit log sits beside the output folder, one JSON object per input.
        let auditPath = sandbox.path("OUT-audit.jsonl")
        #expect(FileManager.default.fileExists(atPath: auditPath))
        #expect(!outputs.contains { $0.hasSuffix(".jsonl") })
        let auditText = try String(contentsOfFile: auditPath, encoding: .utf8)
        let records = try auditText.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(records.count == inputs.count)
        let loggedInputs = records.compactMap { $0["input"] as? String }
        for name in inputs {
            #expect(loggedInputs.filter { $0.hasSuffix("Fixtures/" + name) }.count == 1, "audit log has no line for \(name)")
        }
        #expect(records.filter { $0["status"] as? String == "written" }.count == FixtureFiles.dicom.count)
        #expect(records.filter { $0["status"] as? String == "skipped" }.count == nonDICOM.count)
        for record in records where record["status"] as? String == "written" {
            let uid = try #require(record["sopInstanceUID"] as? String)
            #expect(uid.hasPrefix("2.25."))
            #expect((record["output"] as? String)?.contains(uid) == true)
        }

        // The inputs are untouched.
        #expect(FixtureFiles.snapshot() == before, "an input file changed")

        // Re-identify: every restored data set equals its original fixture's.
        let restored = sandbox.path("RESTORED")
        let reid = try sandbox.run(.reidentify, [out, "--output", restored, "--key", Sandbox.keyA])
        #expect(reid.status == 0, "\(reid.stderrText)")
        let restoredFiles = Sandbox.files(under: restored)
        #expect(restoredFiles.count == FixtureFiles.dicom.count)
        var matched = Set<String>()
        for name in restoredFiles {
            let file = try Part10Reader.read(contentsOf: restored + "/" + name)
            let original = try #require(try FixtureFiles.original(of: file), "no fixture for restored \(name)")
            try DataSets.expectEqual(file, original.file, original.name)
            matched.insert(original.name)
        }
        #expect(matched == Set(dicomInputs))

        // --verify: one line per file, nothing written.
        let filesBefore = Sandbox.files(under: sandbox.root.path)
        let verify = try sandbox.run(.reidentify, [out, "--verify", "--key", Sandbox.keyA])
        #expect(verify.status == 0, "\(verify.stderrText)")
        for output in outputs {
            #expect(verify.stderrLines.filter { $0.hasPrefix(out + "/" + output + ": ok: ") }.count == 1,
                    "no verify line for \(output): \(verify.stderrText)")
        }
        #expect(verify.stderrLines.filter { $0.contains(": ok: ") }.count == FixtureFiles.dicom.count)
        #expect(Sandbox.files(under: sandbox.root.path) == filesBefore, "--verify wrote something")
    }

    @Test(arguments: [["--cipher", "3des"], ["--key-transport", "oaep"], ["--cipher", "aes128", "--key-transport", "oaep"]])
    func roundTripsWithCipherAndKeyTransport(_ options: [String]) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = Sandbox.fixture("ct-explicit-le.dcm")
        try sandbox.deidentify([input], into: sandbox.path("OUT"), options)
        let deidentified = try Sandbox.onlyFile(under: sandbox.path("OUT"))

        let verify = try sandbox.run(.reidentify, [deidentified, "--verify", "--key", Sandbox.keyA])
        #expect(verify.status == 0, "\(verify.stderrText)")
        if options.contains("3des") { #expect(verify.stderrText.lowercased().contains("des")) }

        let reid = try sandbox.run(.reidentify, [deidentified, "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(reid.status == 0, "\(reid.stderrText)")
        let restored = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: sandbox.path("R")))
        try DataSets.expectEqual(restored, try Part10Reader.read(contentsOf: input), "ct-explicit-le.dcm")
    }

    @Test func givesTheSameOutputTreeWithOneJobAndFour() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        var trees: [[String]] = []
        var uidSequences: [[String]] = []
        for jobs in ["1", "4"] {
            let out = sandbox.path("OUT-\(jobs)")
            try sandbox.deidentify([Sandbox.fixtures], into: out, ["--jobs", jobs, "--secret", secret])
            trees.append(Sandbox.files(under: out))
            let audit = try String(contentsOfFile: out + "-audit.jsonl", encoding: .utf8)
            uidSequences.append(try audit.split(separator: "\n").compactMap { line in
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return record?["sopInstanceUID"] as? String
            })
        }
        #expect(trees[0].count == FixtureFiles.dicom.count)
        #expect(trees[0] == trees[1])
        #expect(uidSequences[0].count == FixtureFiles.dicom.count)
        #expect(uidSequences[0] == uidSequences[1])
    }

    @Test func followsAnInputFolderGivenAsSymbolicLink() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let link = sandbox.path("linked-fixtures")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Sandbox.fixtures)
        try sandbox.deidentify([link], into: sandbox.path("OUT"))
        #expect(Sandbox.files(under: sandbox.path("OUT")).count == FixtureFiles.dicom.count)
    }
}
