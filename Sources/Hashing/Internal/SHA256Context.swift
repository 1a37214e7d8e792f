internal import COpenSSL

/// One OpenSSL SHA-256 digest context, reused between digests (``StreamingDigest``).
final class SHA256Context {
    private let context: OpaquePointer

    init() {
        guard let md = sha256Implementation, let context = EVP_MD_CTX_new() else {
            preconditionFailure("SHA-256 is not available in OpenSSL")
        }
        self.context = context
        precondition(EVP_DigestInit_ex2(context, md, nil) == 1, "SHA-256 failed in OpenSSL")
    }

    deinit { EVP_MD_CTX_free(context) }

    // Hashing memory buffers only fails when the process cannot allocate a few hundred bytes.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1, "SHA-256 failed in OpenSSL")
    }

    /// Writes the digest so far to `output` (32 bytes); the context starts a new one.
    func finish(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count == 32, "a SHA-256 digest is 32 bytes")
        var length: UInt32 = 0
        let ok = EVP_DigestFinal_ex(context, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1
        precondition(ok && length == 32, "SHA-256 failed in OpenSSL")
        precondition(EVP_DigestInit_ex2(context, sha256Implementation, nil) == 1, "SHA-256 failed in OpenSSL")
    }
}
