import Hashing

/// Keyed pseudonyms for patients: the same original Patient ID gives the same code wherever the secret is
/// shared, and the code reveals nothing about the ID without the secret.
enum Pseudonym {
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)

    /// Twelve characters (60 bits) from HMAC-SHA-256(secret, "patient:" + id).
    static func code(secret: [UInt8], patientID: String) -> String {
        let digest = KeyedDigest.hmacSHA256(key: secret, message: Array("patient:".utf8) + Array(patientID.utf8))
        var bits: UInt64 = 0
        for i in 0..<8 { bits = bits << 8 | UInt64(digest[i]) }
        var out: [UInt8] = []
        for _ in 0..<12 {
            out.append(alphabet[Int(bits & 31)])
            bits >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
