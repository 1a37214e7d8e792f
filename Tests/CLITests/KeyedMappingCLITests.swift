import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// dicom-deidentify with a secret file gives the UIDs, pseudonym and shifted dates that Python computed for that
/// file's bytes (Fixtures/keyed-mappings.json, Scripts/make-keyed-vectors.py): the whole path from the secret
/// file to the written values, against answers not made by this code.
struct KeyedMappingCLITests {
    @Test func outputsCarryTheKnownAnswers() throws {
        let vectors = try JSONSerialization.jsonObject(
            with: Data(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("keyed-mappings.json"))) as? [String: Any]
        func entries(_ key: String) -> [[String: Any]] {
            ((vectors?[key] as? [[String: Any]]) ?? []).filter { $0["secret"] as? String == "cli-test-secret" }
        }
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        #expect(try Data(contentsOf: URL(fileURLWithPath: secret)).map { String(format: "%02x", $0) }.joined()
                == (vectors?["secrets"] as? [String: String])?["cli-test-secret"], "the vectors' secret is the sandbox's")
        let input = Sandbox.fixture("ct-explicit-le.dcm")
        try sandbox.deidentify([input], into: sandbox.path("OUT"), ["--secret", secret, "--retain-modified-dates"])
        let original = try Part10Reader.read(contentsOf: input).dataSet
        let output = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: sandbox.path("OUT"))).dataSet

        let uids = Dictionary(uniqueKeysWithValues: entries("uids").compactMap { e in
            (e["uid"] as? String).flatMap { uid in (e["mapped"] as? String).map { (uid, $0) } }
        })
        for tag in [Tag(0x0020, 0x000D), Tag(0x0008, 0x0018)] {   // Study Instance UID, SOP Instance UID
            let before = try #require(original[tag]?.string())
            let expected = try #require(uids[before], "no vector for \(before)")
            #expect(output[tag]?.string() == expected, "\(tag)")
        }
        let patientID = try #require(original[Tag(0x0010, 0x0020)]?.string())
        let pseudonym = try #require(entries("pseudonyms").first { $0["patientID"] as? String == patientID })
        #expect(output[Tag(0x0010, 0x0020)]?.string() == pseudonym["newPatientID"] as? String)
        #expect(output[Tag(0x0010, 0x0010)]?.string() == pseudonym["newPatientName"] as? String)
        let shift = try #require(entries("dateShifts").first { $0["patientID"] as? String == patientID })
        let studyDate = try #require(original[Tag(0x0008, 0x0020)]?.string())
        let expectedDate = try #require((shift["dates"] as? [String: String])?[studyDate], "no vector for \(studyDate)")
        #expect(output[Tag(0x0008, 0x0020)]?.string() == expectedDate, "Study Date \(studyDate)")
    }
}
