import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Paths compared after resolving symbolic links (the sandbox may sit under a linked temporary folder).
enum ResolvedPath {
    static func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
}

/// `dicom-review check`, run for real on the output of `dicom-deidentify`.
struct ReviewCheckCLITests {
    /// The CT fixture with a synthetic patient, that patient's family name in Manufacturer (not in Table E.1-1:
    /// the Basic Profile keeps it) and in a private attribute PS3.15 Table E.3.10-1 calls safe.
    static func writePlanted(to path: String) throws {
        var file = try Part10Reader.read(contentsOf: Sandbox.fixture("ct-explicit-le.dcm"))
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, string: "WHITAKER^ROSALIND"))
        file.dataSet.set(DataElement(tag: Tag(0x0008, 0x0070), vr: .LO, string: "WHITAKER IMAGING"))
        file.dataSet.set(DataElement(tag: Tag(0x0019, 0x0060), vr: .LO, string: "GEMS_ACQU_01"))
        file.dataSet.set(DataElement(tag: Tag(0x0019, 0x609E), vr: .LO, string: "ROSALIND_SEQ"))
        try Data(Part10Writer.encode(file)).write(to: URL(fileURLWithPath: path))
    }

    @Test func cleanFixtureOutputPassesWithTheKeyAndWithTheOriginals() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixtures], into: "out")
        let withKey = try sandbox.run(.review, ["check", "out", "--key", Sandbox.keyA])
        #expect(withKey.status == 0, "\(withKey.stdoutText)\(withKey.stderrText)")
        #expect(withKey.stdoutText.isEmpty)
        #expect(withKey.stderrText.contains("checked \(FixtureFiles.dicom.count) files: 0 with findings"))
        let withOriginals = try sandbox.run(.review, ["check", "out", "--originals", Sandbox.fixtures,
                                                      "--audit-log", "out-audit.jsonl"])
        #expect(withOriginals.status == 0, "\(withOriginals.stdoutText)\(withOriginals.stderrText)")
    }

    @Test func findsPlantedIdentityAndMasksIt() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try Self.writePlanted(to: sandbox.path("planted.dcm"))
        try sandbox.deidentify(["planted.dcm"], into: "out", ["--retain-safe-private"])
        let output = try Sandbox.onlyFile(under: sandbox.path("out"))
        let masked = try sandbox.run(.review, ["check", "out", "--key", Sandbox.keyA])
        #expect(masked.status == 1)
        let name = String(output.split(separator: "/").suffix(3).joined(separator: "/"))
        #expect(masked.stdoutLines.map { String($0.split(separator: "/out/").last ?? "") } == [
            "\(name): (0008,0070) Manufacturer: name component W*** of (0010,0010) PatientName",
            "\(name): (0019,609E): name component R*** of (0010,0010) PatientName",
        ])
        #expect(!masked.stdoutText.contains("WHITAKER") && !masked.stdoutText.contains("ROSALIND"))
        let shown = try sandbox.run(.review, ["check", "out", "--key", Sandbox.keyA, "--show-values"])
        #expect(shown.status == 1)
        #expect(shown.stdoutText.contains("\"WHITAKER IMAGING\"") && shown.stdoutText.contains("\"ROSALIND_SEQ\""))
        let viaLog = try sandbox.run(.review, ["check", "out", "--originals", sandbox.root.path,
                                               "--audit-log", "out-audit.jsonl", "--quiet"])
        #expect(viaLog.status == 1)
        #expect(viaLog.stdoutLines == masked.stdoutLines)
        #expect(viaLog.stderrText.isEmpty)
    }

    @Test func badInputIsOneLineAndTheBatchGoesOn() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("mr-explicit-le.dcm")], into: "out")
        try Data("not DICOM".utf8).write(to: URL(fileURLWithPath: sandbox.path("junk.dcm")))
        let outcome = try sandbox.run(.review, ["check", "junk.dcm", "out", "--key", Sandbox.keyA])
        #expect(outcome.status == 1)
        #expect(outcome.stdoutText.isEmpty)
        let junk = outcome.stderrLines(naming: "junk.dcm")
        #expect(junk.count == 1 && junk[0].hasPrefix("error: ") && junk[0].hasSuffix("junk.dcm: not a DICOM file"), "\(junk)")
        #expect(outcome.stderrText.contains("checked 1 files: 0 with findings (0 in all), 1 could not be checked"))
    }

    static func records(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Issue 24: `check --key` decrypts the originals, a re-identification, and left no audit record. It now
    /// appends to the re-identification trail what `dicom-reidentify` would (who, host, key, reason `check`,
    /// per file the path and the tags decrypted, never values), mode 0600, at `--reidentify-audit-log` or beside
    /// the secret; a file the key does not open is recorded as failed.
    @Test func checkWithTheKeyLeavesAReidentificationRecord() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try Self.writePlanted(to: sandbox.path("planted.dcm"))
        try sandbox.deidentify(["planted.dcm", Sandbox.fixture("mr-explicit-le.dcm")], into: "out", ["--retain-safe-private"])
        let outputs = Sandbox.files(under: sandbox.path("out")).map { sandbox.path("out") + "/" + $0 }
        try #require(outputs.count == 2)
        let trail = sandbox.path("trail/check.jsonl")
        let run = try sandbox.run(.review, ["check", "out", "--key", Sandbox.keyA, "--certificate", Sandbox.recipientA,
                                            "--reidentify-audit-log", trail, "--show-values"])
        #expect(run.status == 1, "\(run.stderrText)")
        let records = try Self.records(trail)
        #expect(records.count == 2)
        for record in records {
            #expect(record["reason"] as? String == "check" && record["mode"] as? String == "check")
            #expect(record["status"] as? String == "checked")
            #expect((record["keyCertificateSubject"] as? String)?.contains("CN=") == true)
            #expect((record["keySHA256"] as? String)?.count == 64)
            #expect(record["user"] is String && record["host"] is String && record["time"] is String)
            #expect(((record["restoredTags"] as? [String]) ?? []).contains("(0010,0010)"))
            #expect(record["item"] as? Int == 1)
        }
        #expect(Set(records.compactMap { ($0["input"] as? String).map(ResolvedPath.resolved) })
                == Set(outputs.map(ResolvedPath.resolved)))
        let text = try String(contentsOfFile: trail, encoding: .utf8)
        #expect(!text.contains("WHITAKER") && !text.contains("ROSALIND") && Canaries.found(in: text).isEmpty,
                "the trail holds values")
        #expect(try FileManager.default.attributesOfItem(atPath: trail)[.posixPermissions] as? Int == 0o600)

        // Default trail beside the secret, appended; a key that opens nothing is recorded as failed.
        let wrong = try sandbox.run(.review, ["check", "out", "--key", Sandbox.key("test-recipient-b.key"), "--quiet"])
        #expect(wrong.status == 1)
        let failed = try Self.records(sandbox.path("config/dicom-deid/reidentify-audit.jsonl"))
        #expect(failed.count == 2 && failed.allSatisfy { $0["status"] as? String == "failed" && $0["restoredTags"] == nil })

        // Nothing is decrypted when comparing with the original files: no record.
        let viaLog = try sandbox.run(.review, ["check", "out", "--originals", sandbox.root.path, "--audit-log", "out-audit.jsonl",
                                               "--reidentify-audit-log", sandbox.path("never.jsonl")])
        #expect(viaLog.status == 2, "the re-identification trail goes with --key")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("never.jsonl")))
    }

    /// The checked folder is what gets released: the trail (who re-identified, with which key) stays out of it.
    @Test func trailMayNotSitInACheckedFolder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("mr-explicit-le.dcm")], into: "out")
        let outcome = try sandbox.run(.review, ["check", "out", "--key", Sandbox.keyA, "--reidentify-audit-log", "out/trail.jsonl"])
        #expect(outcome.status == 2)
        #expect(outcome.stderrText.contains("must not be inside a checked folder"), "\(outcome.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("out/trail.jsonl")))
    }

    /// `--audit-log` names the de-identification log that --originals reads; with --key it would be ignored,
    /// or mistaken for the re-identification trail: refused.
    @Test func deidentificationLogGoesWithOriginalsOnly() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let outcome = try sandbox.run(.review, ["check", "out", "--key", Sandbox.keyA, "--audit-log", "a.jsonl"])
        #expect(outcome.status == 2)
        #expect(outcome.stderrText.contains("--audit-log"), "\(outcome.stderrText)")
    }

    @Test(arguments: [[], ["--key", "k", "--originals", "o", "--audit-log", "a"], ["--originals", "o"]])
    func needsExactlyOneSourceOfOriginals(_ extra: [String]) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let outcome = try sandbox.run(.review, ["check", "out"] + extra)
        #expect(outcome.status == 2, "\(outcome.stderrText)")
    }
}
