internal import COpenSSL

/// Owns an OpenSSL `EVP_PKEY` holding a private key.
///
/// Immutable after loading and OpenSSL 3 keys may be used from several threads at once (each operation makes its
/// own `EVP_PKEY_CTX`), hence the unchecked `Sendable`. `EVP_PKEY_free` wipes the private components.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    init(retaining pointer: OpaquePointer) {
        EVP_PKEY_up_ref(pointer)
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }
    var isRSA: Bool { EVP_PKEY_get_base_id(pointer) == NID_rsaEncryption }
    var algorithmName: String { EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown" }

    /// The public half as DER SubjectPublicKeyInfo (`i2d_PUBKEY`); empty if OpenSSL cannot encode it.
    var publicKeyDER: [UInt8] {
        let length = i2d_PUBKEY(pointer, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pointer, &cursor)
        }
        return written == length ? bytes : []
    }

    /// True when `certificate` carries this key's public half.
    func matches(_ certificate: X509Certificate) -> Bool {
        guard let publicKey = X509_get0_pubkey(certificate.pointer) else { return false }
        return EVP_PKEY_eq(publicKey, pointer) == 1
    }
}
