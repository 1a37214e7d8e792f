import DICOMTestSupport
import Foundation
import Testing

/// `dicom-reidentify` leaves a trail: a record for every file, tags and never values, a reason required,
/// mode 0600, never inside the output folder; `--verify` is recorded too.
struct ReidentificationAuditTests {
    static func records(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func everyFileIsRecordedWithTagsAndNoValues() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([RepositoryPaths.fixtures.path], into: sandbox.path("DEID"))
        let trail = sandbox.path("trail.jsonl")
        let back = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", sandbox.path("R"), "--key", Sandbox.keyA,
                                                 "--certificate", Sandbox.recipientA, "--reason", "ticket 4711: audit request",
                                                 "--audit-log", trail])
        #expect(back.status == 0, "\(back.stderrText)")
        let records = try Self.records(trail)
        #expect(records.count == FixtureFiles.dicom.count)
        for record in records {
            #expect(record["status"] as? String == "written")
            #expect(record["reason"] as? String == "ticket 4711: audit request")
            #expect(record["mode"] as? String == "restore")
            #expect((record["keyCertificateSubject"] as? String)?.contains("CN=") == true)
            #expect((record["keySHA256"] as? String)?.count == 64)
            #expect(record["user"] is String && record["host"] is String && record["time"] is String)
            #expect((record["output"] as? String)?.hasPrefix(sandbox.path("R")) == true)
            let tags = record["restoredTags"] as? [String] ?? []
            #expect(tags.contains("(0010,0010)"), "Patient's Name restored and listed")
        }
        // No values: the only identifying text is the output path, named by the restored (original) UIDs as
        // every re-identified file is, which the trail must give.
        var withoutOutputs = records
        for index in withoutOutputs.indices { withoutOutputs[index]["output"] = nil }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: withoutOutputs), as: UTF8.self)
        #expect(Canaries.found(in: text).isEmpty, "the trail holds patient values")
        let mode = try FileManager.default.attributesOfItem(atPath: trail)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Appended, with --verify and --only recorded.
        let verify = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--verify", "--key", Sandbox.keyA,
                                                   "--reason", "check", "--audit-log", trail, "--only", "PatientID"])
        #expect(verify.status == 0, "\(verify.stderrText)")
        let all = try Self.records(trail)
        #expect(all.count == 2 * FixtureFiles.dicom.count)
        #expect(all.suffix(FixtureFiles.dicom.count).allSatisfy { $0["mode"] as? String == "verify" && $0["status"] as? String == "verified" })
        #expect(all.suffix(FixtureFiles.dicom.count).allSatisfy { ($0["only"] as? [String]) == ["(0010,0020)"] })
    }

    @Test func reasonIsRequired() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("DEID"))
        let back = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", sandbox.path("R"), "--key", Sandbox.keyA],
                                   withReason: false)
        #expect(back.status == 2)
        #expect(back.stderrText.contains("--reason is required"), "\(back.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R")).isEmpty)
    }

    @Test func trailMayNotSitInTheOutputFolder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("DEID"))
        let back = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", sandbox.path("R"), "--key", Sandbox.keyA,
                                                 "--audit-log", sandbox.path("R/trail.jsonl")])
        #expect(back.status == 2)
        #expect(back.stderrText.contains("must not be inside the output folder"), "\(back.stderrText)")
    }

    @Test func defaultTrailSitsBesideTheSecret() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("DEID"))
        let back = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(back.status == 0, "\(back.stderrText)")
        let records = try Self.records(sandbox.path("config/dicom-deid/reidentify-audit.jsonl"))
        #expect(records.count == 1)
        #expect(records.first?["keyCertificateSubject"] == nil || records.first?["keySHA256"] != nil)
    }
}
