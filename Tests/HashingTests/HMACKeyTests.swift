import Hashing
import Testing

/// ``HMACKey`` (key blocks hashed once) gives exactly the one-shot HMAC-SHA-256 values.
struct HMACKeyTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// RFC 4231 4.2, 4.3, 4.4 and 4.7 (HMAC-SHA-256 column).
    static let rfc4231: [(key: [UInt8], data: [UInt8], mac: String)] = [
        ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ([UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ]

    @Test("HMACKey gives the RFC 4231 values, its key blocks hashed once", arguments: rfc4231)
    func hmacKeyMatchesRFC4231(vector: (key: [UInt8], data: [UInt8], mac: String)) {
        let key = HMACKey(vector.key)
        #expect(Self.hex(key.authenticationCode(vector.data)) == vector.mac)
        // Again with the same key (the precomputed state is copied, not consumed), and split in two parts.
        #expect(Self.hex(key.authenticationCode(vector.data)) == vector.mac)
        let text = String(decoding: vector.data.dropFirst(3), as: UTF8.self)
        if Array(text.utf8) == Array(vector.data.dropFirst(3)) {
            #expect(Self.hex(key.authenticationCode(Array(vector.data.prefix(3)), text)) == vector.mac)
        }
    }

    @Test func hmacKeyAgreesWithOneShotHMAC() {
        let key = HMACKey(Array("secret".utf8))
        for uid in ["", "1.2.3", String(repeating: "1.2.840.10008.", count: 20)] {
            #expect(key.authenticationCode(Array("uid:".utf8), uid)
                    == KeyedDigest.hmacSHA256(key: Array("secret".utf8), message: Array(("uid:" + uid).utf8)))
        }
        #expect(HMACKey([]).authenticationCode([]) == KeyedDigest.hmacSHA256(key: [], message: []))
    }
}
