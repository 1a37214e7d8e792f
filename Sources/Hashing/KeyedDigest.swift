/// Keyed digests for the de-identifier's deterministic mappings (UIDs, pseudonyms, date shifts) and CTP's keyed
/// hashes. The values must never change between releases: linkage across batches depends on them (see the
/// known-answer vectors in HashingTests).
public enum KeyedDigest {
    /// HMAC-SHA-256 (RFC 2104, FIPS 198-1) of `message` under `key`: 32 bytes.
    ///
    /// Two SHA-256 passes over a digest fetched once, about a microsecond for short inputs, so it can run once
    /// per UID: OpenSSL's one-shot `HMAC()` fetches the MAC and digest implementations on every call, which
    /// costs more than hashing the few bytes of a UID.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? SHA256.digest([key]) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = block.map { $0 ^ 0x36 }
        var outer = block.map { $0 ^ 0x5C }
        defer {
            Cleanse.bytes(&block)
            Cleanse.bytes(&inner)
            Cleanse.bytes(&outer)
        }
        let innerDigest = SHA256.digest([inner, message])
        return SHA256.digest([outer, innerDigest])
    }
}
