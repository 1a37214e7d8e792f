internal import COpenSSL

/// OpenSSL calls behind ``SecureRandom``.
enum Primitives {
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

