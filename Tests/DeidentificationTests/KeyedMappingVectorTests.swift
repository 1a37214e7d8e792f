import DICOMTestSupport
import Foundation
import Testing
@testable import Deidentification

/// The keyed mappings against known answers computed outside Swift (Fixtures/keyed-mappings.json, made by
/// Scripts/make-keyed-vectors.py with Python's hmac). They must never change between releases: a batch
/// de-identified later with the same secret must link to the earlier ones.
struct KeyedMappingVectorTests {
    struct Vectors: Decodable {
        struct UIDVector: Decodable { var secret: String; var uid: String; var mapped: String }
        struct PseudonymVector: Decodable { var secret: String; var patientID: String; var code: String }
        struct ShiftVector: Decodable { var secret: String; var patientID: String; var days: Int; var dates: [String: String] }
        var format: String
        var secrets: [String: String]
        var uids: [UIDVector]
        var pseudonyms: [PseudonymVector]
        var dateShifts: [ShiftVector]
    }

    static func vectors() throws -> Vectors {
        let url = RepositoryPaths.fixtures.appendingPathComponent("keyed-mappings.json")
        return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }

    static func secret(_ name: String, in vectors: Vectors) throws -> [UInt8] {
        let hex = Array(try #require(vectors.secrets[name], "no secret \(name)").utf8)
        return stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
    }

    @Test func uidsMatchTheVectors() throws {
        let vectors = try Self.vectors()
        try #require(vectors.format == "dicom-deid/keyed-mappings/1" && vectors.uids.count >= 8)
        for vector in vectors.uids {
            #expect(UIDMapper(secret: try Self.secret(vector.secret, in: vectors)).map(vector.uid) == vector.mapped, "\(vector.uid)")
        }
    }

    @Test func pseudonymsMatchTheVectors() throws {
        let vectors = try Self.vectors()
        try #require(vectors.pseudonyms.count >= 6)
        for vector in vectors.pseudonyms {
            #expect(Pseudonym.code(secret: try Self.secret(vector.secret, in: vectors), patientID: vector.patientID) == vector.code,
                    "\(vector.patientID)")
        }
    }

    @Test func dateShiftsMatchTheVectors() throws {
        let vectors = try Self.vectors()
        try #require(vectors.dateShifts.count >= 6)
        for vector in vectors.dateShifts {
            let shifter = DateShifter(secret: try Self.secret(vector.secret, in: vectors), patientID: vector.patientID)
            #expect(shifter.days == vector.days, "\(vector.patientID)")
            for (date, expected) in vector.dates {
                #expect(shifter.shiftDate(date[...]) == expected, "\(vector.patientID) \(date)")
            }
        }
    }
}
