/// Keyed digests for the de-identifier's deterministic mappings (UIDs, date shifts).
public enum KeyedDigest {
    /// HMAC-SHA-256 (RFC 2104, FIPS 198-1) of `message` under `key`: 32 bytes.
    ///
    /// Two SHA-256 passes over a digest fetched once, about a microsecond for short inputs, so it can run once
    /// per UID.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Primitives.hmacSHA256(key: key, message: message)
    }
}
