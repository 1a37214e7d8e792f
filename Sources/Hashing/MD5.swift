internal import COpenSSL

/// MD5 (RFC 1321), by OpenSSL: the digest behind RSNA CTP's `DigestUtil.getUSMD5`.
///
/// MD5 is broken for collision resistance; it is here only because CTP-compatible pseudonyms are defined by it.
/// Keyed mappings use ``KeyedDigest`` (HMAC-SHA-256) instead.
public enum MD5 {
    /// Whether this OpenSSL offers MD5 (not in FIPS mode): check before a run that needs ``digest(_:)``.
    public static var isAvailable: Bool { md5Implementation != nil }

    /// The 16-byte digest of `message`.
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        guard let md = md5Implementation else {
            // OpenSSL in FIPS mode offers no MD5: CTP's unkeyed hashes cannot be made there.
            preconditionFailure("MD5 is not available in this OpenSSL (FIPS mode?): CTP's unkeyed @hash needs it")
        }
        var output = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        let ok = message.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { EVP_Digest(input.baseAddress, input.count, $0.baseAddress, &length, md, nil) == 1 }
        }
        precondition(ok && length == 16, "MD5 failed in OpenSSL")
        return output
    }
}

/// MD5, fetched once (see ``sha256Implementation``).
nonisolated(unsafe) private let md5Implementation: OpaquePointer? = EVP_MD_fetch(nil, "MD5", nil)
