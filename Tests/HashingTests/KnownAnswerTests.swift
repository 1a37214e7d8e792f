import DICOMTestSupport
import Foundation
import Hashing
import Testing

/// The digests against answers computed outside Swift: Fixtures/hashes/*.tsv, made by the openssl CLI
/// (Scripts/make-hash-vectors.sh), among them the exact messages of the keyed mappings ("uid:" + UID,
/// "patient:" + ID, "date-shift:" + ID), whose values must never change between releases.
struct KnownAnswerTests {
    /// The rows of a vector file, each split into its hex columns decoded to bytes.
    static func rows(_ name: String) throws -> [[[UInt8]]] {
        let text = try String(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("hashes/" + name), encoding: .utf8)
        let rows = try text.split(separator: "\n").map { line in
            try line.split(separator: "\t", omittingEmptySubsequences: false).map { column in
                try #require(bytes(hex: column), "not hex: \(column)")
            }
        }
        #expect(rows.count >= 10, "\(name) holds its vectors")
        return rows
    }

    static func bytes(hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }

    @Test func hmacSHA256MatchesOpenSSL() throws {
        let rows = try Self.rows("hmac-sha256.tsv")
        #expect(rows.contains { $0[1].starts(with: Array("uid:".utf8)) }, "the UID mapping's message form is covered")
        for row in rows {
            #expect(row.count == 3)
            #expect(KeyedDigest.hmacSHA256(key: row[0], message: row[1]) == row[2],
                    "key \(row[0].count) bytes, message \(String(decoding: row[1], as: UTF8.self))")
        }
    }

    @Test func md5MatchesOpenSSL() throws {
        for row in try Self.rows("md5.tsv") {
            #expect(row.count == 2)
            #expect(MD5.digest(row[0]) == row[1], "message \(String(decoding: row[0], as: UTF8.self))")
        }
    }

    @Test func sha256WholeAndStreamedMatchOpenSSL() throws {
        var streaming = StreamingDigest()
        for row in try Self.rows("sha256.tsv") {
            #expect(row.count == 2)
            #expect(SHA256.digest([row[0]]) == row[1])
            // In two parts, and piece by piece with the context reused after each finish.
            let half = row[0].count / 2
            #expect(SHA256.digest([Array(row[0][..<half]), Array(row[0][half...])]) == row[1])
            for byte in row[0] { streaming.update([byte][...]) }
            #expect(streaming.finish() == row[1])
        }
    }

    /// RFC 4231 4.2, 4.3, 4.4 and 4.7 (HMAC-SHA-256 column), and RFC 1321's test suite: the published answers.
    @Test func publishedVectors() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(KeyedDigest.hmacSHA256(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(hex(KeyedDigest.hmacSHA256(key: [UInt8](repeating: 0xAA, count: 20), message: [UInt8](repeating: 0xDD, count: 50)))
                == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
        #expect(hex(KeyedDigest.hmacSHA256(key: [UInt8](repeating: 0xAA, count: 131),
                                            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        #expect(hex(KeyedDigest.hmacSHA256(key: [], message: []))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(hex(MD5.digest(Array("message digest".utf8))) == "f96b697d7cb7938d525a2f31aaf161d0")
        #expect(hex(MD5.digest(Array(String(repeating: "1234567890", count: 8).utf8))) == "57edf4a22be3c955ac49da2e2107b67a")
    }
}
