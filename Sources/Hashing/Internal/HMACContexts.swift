internal import COpenSSL

/// The two SHA-256 contexts of HMAC-SHA-256 (RFC 2104) under one key, each having absorbed its padded key block
/// (K xor ipad, K xor opad): a message then costs the SHA-256 blocks of the message and of the inner digest only,
/// not the two key blocks again (``HMACKey``).
///
/// Immutable after init: each digest works on copies (`EVP_MD_CTX_copy_ex` only reads the source), so one
/// instance may serve every thread.
final class HMACContexts: @unchecked Sendable {
    private let inner: OpaquePointer
    private let outer: OpaquePointer

    init(key: [UInt8]) {
        (inner, outer) = withHMACPads(key: key) { innerPad, outerPad in
            (Self.context(absorbing: innerPad), Self.context(absorbing: outerPad))
        }
    }

    deinit {
        EVP_MD_CTX_free(inner)   // also wipes the key-dependent state
        EVP_MD_CTX_free(outer)
    }

    private static func context(absorbing bytes: [UInt8]) -> OpaquePointer {
        guard let md = sha256Implementation, let context = EVP_MD_CTX_new() else {
            preconditionFailure("SHA-256 is not available in OpenSSL")
        }
        let ok = EVP_DigestInit_ex2(context, md, nil) == 1
            && bytes.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) } == 1
        precondition(ok, "SHA-256 failed in OpenSSL")
        return context
    }

    /// HMAC-SHA-256 of the bytes `feed` hands to the `update` it is given, in order: 32 bytes (no array of
    /// buffers is made to pass the message's parts).
    func authenticationCode(feeding feed: (_ update: (UnsafeRawBufferPointer) -> Void) -> Void) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("SHA-256 is not available in OpenSSL") }
        defer { EVP_MD_CTX_free(context) }
        // The digest in place, made an array once at the end (`[UInt8](repeating:count:)` is not specialized
        // and looks its type up at run time: more than the digest's own copy).
        var digest = InlineDigest()
        var length: UInt32 = 0
        var ok = EVP_MD_CTX_copy_ex(context, inner) == 1
        feed { part in
            guard ok, part.count > 0 else { return }
            ok = EVP_DigestUpdate(context, part.baseAddress, part.count) == 1
        }
        withUnsafeMutableBytes(of: &digest.words) { digestBytes in
            let pointer = digestBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            ok = ok && EVP_DigestFinal_ex(context, pointer, &length) == 1
            ok = ok && EVP_MD_CTX_copy_ex(context, outer) == 1
            ok = ok && EVP_DigestUpdate(context, pointer, 32) == 1
            ok = ok && EVP_DigestFinal_ex(context, pointer, &length) == 1
        }
        // Hashing memory buffers only fails when the process cannot allocate a few hundred bytes.
        precondition(ok && length == 32, "SHA-256 failed in OpenSSL")
        return digest.bytes
    }
}
