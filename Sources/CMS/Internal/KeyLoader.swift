internal import Hashing
internal import COpenSSL

/// Reads private keys in every container the issue names: PEM PKCS#1 ("RSA PRIVATE KEY", optionally with RFC 1421
/// encryption headers), PEM PKCS#8 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), the same in DER, and PKCS#12.
enum KeyLoader {
    /// A private key as loaded, with the certificate that came with it (PKCS#12, or PEM key + certificate).
    struct Material {
        var key: EVPKey
        var certificate: X509Certificate?
    }

    /// - Throws: ``CMSError``: `.passphraseUnavailable` (encrypted, no passphrase), `.wrongPassphrase`,
    ///   `.expectedKeyGotCertificate`, `.notRSA`, `.unsupportedAlgorithm`, `.unrecognizedFormat`.
    static func load(_ bytes: [UInt8], passphrase: Passphrase?, path: String?) throws(CMSError) -> Material {
        OpenSSLErrorQueue.clear()
        let material = PEMBlock.looksLikePEM(bytes)
            ? try loadPEM(bytes, passphrase: passphrase, path: path)
            : try loadDER(bytes, passphrase: passphrase, path: path)
        guard material.key.isRSA else {
            throw CMSError(.notRSA, reason: "the private key is \(material.key.algorithmName), not RSA", path: path)
        }
        return material
    }

    /// True when `der` parses as some private-key container (used to say "got a key" when a certificate was wanted).
    static func looksLikePrivateKey(der: [UInt8]) -> Bool {
        defer { OpenSSLErrorQueue.clear() }
        if withPKCS12(der, { _ in true }) == true { return true }
        if withEncryptedPKCS8(der, { _ in true }) == true { return true }
        return privateKey(der: der) != nil
    }

    // MARK: PEM

    private static func loadPEM(_ bytes: [UInt8], passphrase: Passphrase?, path: String?) throws(CMSError) -> Material {
        var blocks = try PEMBlock.blocks(in: bytes, path: path)
        defer { for index in blocks.indices { Cleanse.bytes(&blocks[index].der) } }
        guard let index = blocks.firstIndex(where: \.isPrivateKey) else {
            throw PEMBlock.missingError(wantKey: true, in: blocks, path: path)
        }
        let block = blocks[index]
        let key: EVPKey
        switch block.label {
        case "ENCRYPTED PRIVATE KEY":
            let secret = try require(passphrase, path: path)
            guard let decrypted = try decryptPKCS8(block.der, passphrase: secret, path: path) else {
                throw CMSError(.unrecognizedFormat, reason: "damaged encrypted PKCS#8 private key",
                               openSSLErrors: OpenSSLErrorQueue.drain(), path: path)
            }
            key = decrypted
        default:
            var der = block.der
            defer { Cleanse.bytes(&der) }
            if block.isEncryptedTraditionalKey {
                let secret = try require(passphrase, path: path)
                try decryptTraditional(&der, headers: block.headers, passphrase: secret, path: path)
            }
            guard let parsed = privateKey(der: der) else {
                // A wrong passphrase passes the CBC padding check about once in 256 tries and yields garbage.
                if block.isEncryptedTraditionalKey {
                    throw CMSError(.wrongPassphrase, reason: "wrong passphrase for the encrypted private key",
                                   openSSLErrors: OpenSSLErrorQueue.drain(), path: path)
                }
                throw CMSError(.unrecognizedFormat, reason: "damaged private key in PEM block \(block.label)",
                               openSSLErrors: OpenSSLErrorQueue.drain(), path: path)
            }
            key = parsed
        }
        // A PEM bundle may carry the key's certificate too; keep it when it belongs to the key.
        let certificate = blocks.lazy.filter(\.isCertificate)
            .compactMap { X509Certificate.parse(der: $0.der) }
            .first { key.matches($0) }
        OpenSSLErrorQueue.clear()
        return Material(key: key, certificate: certificate)
    }

    /// RFC 1421 `Proc-Type: 4,ENCRYPTED` + `DEK-Info:` (the traditional OpenSSL format); decrypts `der` in place.
    private static func decryptTraditional(_ der: inout [UInt8], headers: String, passphrase: SecretBytes,
                                           path: String?) throws(CMSError) {
        var info = EVP_CIPHER_INFO()
        let parsed = headers.withCString { text in
            // PEM_get_EVP_CIPHER_INFO takes char * but only reads the headers.
            PEM_get_EVP_CIPHER_INFO(UnsafeMutablePointer(mutating: text), &info)
        }
        guard parsed == 1 else {
            throw CMSError(.unsupportedAlgorithm, reason: "unsupported PEM encryption (\(dekInfo(headers)))",
                           openSSLErrors: OpenSSLErrorQueue.drain(), path: path)
        }
        var length = der.count
        let ok = der.withUnsafeMutableBufferPointer { buffer in
            PEM_do_header(&info, buffer.baseAddress, &length, passphraseCallback,
                          Unmanaged.passUnretained(passphrase).toOpaque())
        }
        guard ok == 1 else {
            throw CMSError(.wrongPassphrase, reason: "wrong passphrase for the encrypted private key",
                           openSSLErrors: OpenSSLErrorQueue.drain(), path: path)
        }
        // Decryption shrinks the data (padding); wipe the tail before dropping it.
        if length < der.count {
            der.withUnsafeMutableBytes { Cleanse.raw(UnsafeMutableRawBufferPointer(rebasing: $0[length...])) }
            der.removeLast(der.count - length)
        }
    }

    private static func dekInfo(_ headers: String) -> String {
        headers.split(whereSeparator: \.isNewline).first { $0.hasPrefix("DEK-Info") }.map(String.init) ?? "no DEK-Info"
    }

    // MARK: DER

    private static func loadDER(_ bytes: [UInt8], passphrase: Passphrase?, path: String?) throws(CMSError) -> Material {
        if let material = try loadPKCS12(bytes, passphrase: passphrase, path: path) { return material }
        if withEncryptedPKCS8(bytes, { _ in true }) == true {
            let secret = try require(passphrase, path: path)
            if let key = try decryptPKCS8(bytes, passphrase: secret, path: path) {
                return Material(key: key, certificate: nil)
            }
        }
        if let key = privateKey(der: bytes) { return Material(key: key, certificate: nil) }
        if X509Certificate.parse(der: bytes) != nil {
            OpenSSLErrorQueue.clear()
            throw CMSError(.expectedKeyGotCertificate, reason: "expected a private key, found a certificate", path: path)
        }
        OpenSSLErrorQueue.clear()
        throw CMSError(.unrecognizedFormat,
                       reason: "not a private key (PEM or DER PKCS#1, PKCS#8, encrypted PKCS#8, or PKCS#12)", path: path)
    }

    /// An unencrypted PKCS#8 PrivateKeyInfo or PKCS#1 RSAPrivateKey (or another traditional format) in DER.
    private static func privateKey(der: [UInt8]) -> EVPKey? {
        der.withUnsafeBufferPointer { buffer -> EVPKey? in
            var cursor = buffer.baseAddress
            guard buffer.count > 0, let key = d2i_AutoPrivateKey(nil, &cursor, buffer.count) else { return nil }
            return EVPKey(taking: key)
        }
    }

    /// RFC 5958 EncryptedPrivateKeyInfo: nil when `der` is not one; `.wrongPassphrase` when it will not decrypt.
    private static func decryptPKCS8(_ der: [UInt8], passphrase: SecretBytes, path: String?) throws(CMSError) -> EVPKey? {
        let outcome: Result<EVPKey, CMSError>? = withEncryptedPKCS8(der) { signature in
            passphrase.withCString { text, count -> Result<EVPKey, CMSError> in
                guard let info = PKCS8_decrypt(signature, text, Int32(count)) else {
                    return .failure(CMSError(.wrongPassphrase, reason: "wrong passphrase for the encrypted private key",
                                             openSSLErrors: OpenSSLErrorQueue.drain(), path: path))
                }
                defer { PKCS8_PRIV_KEY_INFO_free(info) }   // frees with a wipe of the key octets
                guard let key = EVP_PKCS82PKEY(info) else {
                    let errors = OpenSSLErrorQueue.drain()
                    return .failure(CMSError(.unsupportedAlgorithm, reason: "unsupported private key algorithm in PKCS#8",
                                             openSSLErrors: errors, path: path))
                }
                return .success(EVPKey(taking: key))
            }
        }
        switch outcome {
        case nil: return nil
        case .success(let key)?: return key
        case .failure(let error)?: throw error
        }
    }

    private static func withEncryptedPKCS8<R>(_ der: [UInt8], _ body: (OpaquePointer) -> R) -> R? {
        der.withUnsafeBufferPointer { buffer -> R? in
            var cursor = buffer.baseAddress
            guard buffer.count > 0, let signature = d2i_X509_SIG(nil, &cursor, buffer.count) else { return nil }
            defer { X509_SIG_free(signature) }
            // X509_SIG is also DigestInfo; require the PBES2/PBES1 shape: an AlgorithmIdentifier OID OpenSSL knows
            // as a password-based encryption scheme.
            var algorithm: UnsafePointer<X509_ALGOR>?
            X509_SIG_get0(signature, &algorithm, nil)
            var object: OpaquePointer?
            X509_ALGOR_get0(&object, nil, nil, algorithm)
            let nid = OBJ_obj2nid(object)
            guard nid == NID_pbes2 || EVP_PBE_find(EVP_PBE_TYPE_OUTER, nid, nil, nil, nil) == 1 else { return nil }
            return body(signature)
        }
    }

    // MARK: PKCS#12

    private static func loadPKCS12(_ der: [UInt8], passphrase: Passphrase?, path: String?) throws(CMSError) -> Material? {
        let outcome: Result<Material, CMSError>? = withPKCS12(der) { bundle in
            Result { () throws(CMSError) -> Material in try openPKCS12(bundle, passphrase: passphrase, path: path) }
        }
        switch outcome {
        case nil: return nil
        case .success(let material)?: return material
        case .failure(let error)?: throw error
        }
    }

    private static func withPKCS12<R>(_ der: [UInt8], _ body: (OpaquePointer) -> R) -> R? {
        der.withUnsafeBufferPointer { buffer -> R? in
            var cursor = buffer.baseAddress
            guard buffer.count > 0, let bundle = d2i_PKCS12(nil, &cursor, buffer.count) else { return nil }
            defer { PKCS12_free(bundle) }
            return body(bundle)
        }
    }

    private static func openPKCS12(_ bundle: OpaquePointer, passphrase: Passphrase?, path: String?) throws(CMSError) -> Material {
        // Without a passphrase, try the two "no password" conventions (empty and absent) before asking for one.
        let secret = passphrase?.secret ?? SecretBytes([])
        if PKCS12_mac_present(bundle) == 1 {
            let verified = secret.withCString { text, count in
                PKCS12_verify_mac(bundle, text, Int32(count)) == 1
                    || (passphrase == nil && PKCS12_verify_mac(bundle, nil, 0) == 1)
            }
            guard verified else {
                let errors = OpenSSLErrorQueue.drain()
                if passphrase == nil {
                    throw CMSError(.passphraseUnavailable,
                                   reason: "the PKCS#12 bundle is passphrase-protected; give its passphrase", path: path)
                }
                throw CMSError(.wrongPassphrase, reason: "wrong passphrase for the PKCS#12 bundle",
                               openSSLErrors: errors, path: path)
            }
        }
        var key: OpaquePointer?
        var certificate: OpaquePointer?
        var chain: OpaquePointer?
        let parsed = secret.withCString { text, _ in PKCS12_parse(bundle, text, &key, &certificate, &chain) }
        defer {
            if let chain { shim_sk_X509_pop_free(chain) }
            if let certificate { X509_free(certificate) }
        }
        guard parsed == 1, let key else {
            if let key { EVP_PKEY_free(key) }
            let errors = OpenSSLErrorQueue.drain()
            if parsed == 1 {
                throw CMSError(.expectedKeyGotCertificate, reason: "the PKCS#12 bundle holds no private key", path: path)
            }
            let unsupported = errors.contains { $0.lowercased().contains("unsupported") }
            throw CMSError(unsupported ? .unsupportedAlgorithm : .unrecognizedFormat,
                           reason: unsupported
                               ? "the PKCS#12 bundle uses an algorithm OpenSSL 3 no longer enables by default (RC2/RC4); re-export it with AES"
                               : "damaged PKCS#12 bundle",
                           openSSLErrors: errors, path: path)
        }
        let owned = EVPKey(taking: key)
        return Material(key: owned, certificate: certificate.map(X509Certificate.init(retaining:)))
    }

    // MARK: Passphrases

    private static func require(_ passphrase: Passphrase?, path: String?) throws(CMSError) -> SecretBytes {
        guard let passphrase else {
            throw CMSError(.passphraseUnavailable,
                           reason: "the private key is encrypted; give its passphrase (prompt, environment variable or file)",
                           path: path)
        }
        return passphrase.secret
    }
}

/// `pem_password_cb` that copies the `SecretBytes` passed as user data; never prompts.
private func passphraseCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32,
                                _ userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let buffer, let userData else { return -1 }
    let secret = Unmanaged<SecretBytes>.fromOpaque(userData).takeUnretainedValue()
    guard secret.count <= Int(size) else { return -1 }
    secret.copy(to: UnsafeMutableRawPointer(buffer))
    return Int32(secret.count)
}
