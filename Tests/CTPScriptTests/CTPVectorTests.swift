import DICOMTestSupport
import Foundation
import Testing
@testable import CTPScript

/// Every vector in Scripts/ctp-vectors/ctp-function-vectors.json, made by CTP's own AnonymizerFunctions.
struct CTPVectorTests {
    static func vectors() throws -> [CTPVector] {
        let url = RepositoryPaths.root.appendingPathComponent("Scripts/ctp-vectors/ctp-function-vectors.json")
        return try JSONDecoder().decode([CTPVector].self, from: Data(contentsOf: url))
    }

    @Test func everyCTPVectorMatches() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 100)
        var mismatches: [String] = []
        for vector in vectors {
            let got = vector.call.evaluate()
            if got != vector.out {
                mismatches.append("\(vector.f)\(vector.args): CTP \(vector.out ?? "nil"), Swift \(got ?? "nil")")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(vectors.count):\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    @Test func vectorsCoverEveryFunction() throws {
        let functions = Set(try Self.vectors().map(\.f))
        #expect(functions == ["hashuid", "hash", "hashptid", "hashname", "initials", "round", "incrementdate",
                              "modifydate", "hashdate"])
    }
}
