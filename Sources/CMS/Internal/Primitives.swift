internal import COpenSSL

/// OpenSSL calls behind ``KeyedDigest`` and ``SecureRandom``.
enum Primitives {
    /// HMAC-SHA-256 (RFC 2104) over SHA-256 fetched once: OpenSSL's one-shot `HMAC()` fetches the MAC and
    /// digest implementations on every call, which costs more than hashing the few bytes of a UID.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? sha256([key]) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = block.map { $0 ^ 0x36 }
        var outer = block.map { $0 ^ 0x5C }
        defer {
            Cleanse.bytes(&block)
            Cleanse.bytes(&inner)
            Cleanse.bytes(&outer)
        }
        let innerDigest = sha256([inner, message])
        return sha256([outer, innerDigest])
    }

    /// SHA-256 of the concatenation of `parts`.
    static func sha256(_ parts: [[UInt8]]) -> [UInt8] {
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

    static func randomBytes(_ count: Int) throws(CMSError) -> [UInt8] {
        guard count > 0 else { return [] }
        guard count <= Int(Int32.max) else {
            throw CMSError(.randomFailure, reason: "cannot make \(count) random bytes at once")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else {
            throw CMSError(.randomFailure, reason: "the random number generator failed",
                           openSSLErrors: OpenSSLErrorQueue.drain())
        }
        return bytes
    }
}

/// SHA-256, fetched from the default provider once (Primitives, SHA256Context). Fetched EVP_MD objects are immutable and may be used
/// from any thread (OpenSSL 3 "Multithreading" notes).
nonisolated(unsafe) let sha256Implementation: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
