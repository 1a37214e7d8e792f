internal import COpenSSL

/// SHA-256 (FIPS 180-4) of bytes in memory, by OpenSSL.
public enum SHA256 {
    /// The 32-byte digest of the concatenation of `parts` (no copy is made to join them).
    public static func digest(_ parts: [[UInt8]]) -> [UInt8] {
        guard let md = sha256Implementation, let context = EVP_MD_CTX_new() else {
            preconditionFailure("SHA-256 is not available in OpenSSL")
        }
        defer { EVP_MD_CTX_free(context) }
        var ok = EVP_DigestInit_ex2(context, md, nil) == 1
        for part in parts where ok {
            ok = part.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) == 1 }
        }
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        if ok { ok = output.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) == 1 } }
        // Hashing memory buffers only fails when the process cannot allocate a few hundred bytes.
        precondition(ok && length == 32, "SHA-256 failed in OpenSSL")
        return output
    }
}

/// SHA-256, fetched from the default provider once (``SHA256``, ``StreamingDigest``, ``KeyedDigest``). Fetched
/// EVP_MD objects are immutable and may be used from any thread (OpenSSL 3 "Multithreading" notes).
nonisolated(unsafe) let sha256Implementation: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
