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
        withHMACPads(key: key) { inner, outer in
            SHA256.digest([outer, SHA256.digest([inner, message])])
        }
    }
}
