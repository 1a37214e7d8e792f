internal import COpenSSL

/// OpenSSL calls behind ``KeyedDigest`` and ``SecureRandom``.
enum Primitives {
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let dummy: UInt8 = 0
        let result = withUnsafePointer(to: dummy) { empty in
            key.withUnsafeBytes { keyBytes in
                message.withUnsafeBufferPointer { messageBytes in
                    output.withUnsafeMutableBufferPointer { out in
                        // HMAC() accepts an empty key or message but not a NULL pointer for the key.
                        HMAC(EVP_sha256(), keyBytes.baseAddress ?? UnsafeRawPointer(empty), Int32(keyBytes.count),
                             messageBytes.baseAddress ?? empty, messageBytes.count, out.baseAddress, &length)
                    }
                }
            }
        }
        // HMAC-SHA-256 over memory buffers only fails when the process cannot allocate a few hundred bytes.
        precondition(result != nil && length == 32, "HMAC-SHA-256 failed in OpenSSL")
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
