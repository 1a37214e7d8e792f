internal import COpenSSL

/// Owns an OpenSSL `CMS_ContentInfo` holding EnvelopedData (RFC 5652 6.1):
/// ```
/// ContentInfo ::= SEQUENCE { contentType id-envelopedData, content [0] EXPLICIT EnvelopedData }
/// EnvelopedData ::= SEQUENCE {
///   version CMSVersion, originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
///   recipientInfos RecipientInfos, encryptedContentInfo EncryptedContentInfo,
///   unprotectedAttrs [1] IMPLICIT UnprotectedAttributes OPTIONAL }
/// EncryptedContentInfo ::= SEQUENCE {
///   contentType ContentType, contentEncryptionAlgorithm ContentEncryptionAlgorithmIdentifier,
///   encryptedContent [0] IMPLICIT EncryptedContent OPTIONAL }
/// ```
/// One instance per operation (or per ``ParsedEnvelope``), never shared between threads (decryption stores the
/// content key inside it).
final class Envelope {
    let pointer: OpaquePointer
    /// The DER (or BER) it was parsed from; empty for an envelope being built.
    private let input: [UInt8]

    private init(taking pointer: OpaquePointer, input: [UInt8] = []) {
        self.pointer = pointer
        self.input = input
    }

    deinit {
        CMS_ContentInfo_free(pointer)   // wipes the content-encryption key it may hold
    }

    // MARK: Encrypting

    /// `CMS_encrypt` with `CMS_PARTIAL`, one `CMS_add1_recipient_cert` per certificate (OAEP parameters set on each
    /// recipient's `EVP_PKEY_CTX`), then `CMS_final` with `CMS_BINARY` so the content is not canonicalised.
    /// - Throws: ``CMSError`` `.encryptionFailed`.
    static func encrypt(_ content: [UInt8], to certificates: [X509Certificate], cipher: ContentCipher,
                        keyTransport: KeyTransport, useKeyIdentifier: Bool) throws(CMSError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        let binary = shim_cms_flag_binary()
        guard let made = CMS_encrypt(nil, nil, cipher.evpCipher, binary | shim_cms_flag_partial()) else {
            throw failure(.encryptionFailed, "OpenSSL could not start an enveloped-data structure")
        }
        let envelope = Envelope(taking: made)
        for certificate in certificates {
            try envelope.addRecipient(certificate, keyTransport: keyTransport, useKeyIdentifier: useKeyIdentifier)
        }
        try envelope.encryptContent(content)
        return try envelope.der(failing: .encryptionFailed)
    }

    /// What `CMS_final` does with `CMS_BINARY` (the content BIO chain of `CMS_dataInit`, flushed, then
    /// `CMS_dataFinal`), with the content written in one call: `CMS_final` copies it from a memory BIO through a
    /// buffering BIO 1 KiB at a time (`SMIME_crlf_copy`), about a tenth of the envelope's cost besides RSA for
    /// a small file (issue 23). The same bytes reach the same cipher, so the envelope is the same.
    /// - Throws: ``CMSError`` `.encryptionFailed`.
    private func encryptContent(_ content: [UInt8]) throws(CMSError) {
        guard content.count <= Int(Int32.max) else {
            throw CMSError(.encryptionFailed, reason: "input of \(content.count) bytes is too large (at most 2 GiB)")
        }
        guard let chain = CMS_dataInit(pointer, nil) else {
            throw Self.failure(.encryptionFailed, "OpenSSL could not start encrypting the content")
        }
        defer { BIO_free_all(chain) }
        let written = content.isEmpty ? 0 : content.withUnsafeBytes { BIO_write(chain, $0.baseAddress, Int32($0.count)) }
        guard written == content.count else {
            throw Self.failure(.encryptionFailed, "OpenSSL could not encrypt the content")
        }
        _ = BIO_ctrl(chain, BIO_CTRL_FLUSH, 0, nil)   // ends the cipher (padding), as CMS_final does; its result is ignored there too
        guard CMS_dataFinal(pointer, chain) == 1 else {
            throw Self.failure(.encryptionFailed, "OpenSSL could not encrypt the content")
        }
    }

    private func addRecipient(_ certificate: X509Certificate, keyTransport: KeyTransport,
                              useKeyIdentifier: Bool) throws(CMSError) {
        var flags = shim_cms_flag_binary()
        if useKeyIdentifier { flags |= shim_cms_flag_use_keyid() }
        if keyTransport == .rsaOAEPSHA256 { flags |= shim_cms_flag_key_param() }
        guard let info = CMS_add1_recipient_cert(pointer, certificate.pointer, flags) else {
            throw Self.failure(.encryptionFailed, "cannot add recipient \(certificate.summary)")
        }
        guard keyTransport == .rsaOAEPSHA256 else { return }
        // RFC 8017 A.2.1 / RFC 4055 4.1: SHA-256 for both the OAEP hash and MGF1; OpenSSL writes these into
        // the recipient's keyEncryptionAlgorithm parameters when CMS_final encrypts the key.
        guard let context = CMS_RecipientInfo_get0_pkey_ctx(info),
              EVP_PKEY_CTX_set_rsa_padding(context, shim_rsa_pkcs1_oaep_padding()) > 0,
              EVP_PKEY_CTX_set_rsa_oaep_md(context, EVP_sha256()) > 0,
              EVP_PKEY_CTX_set_rsa_mgf1_md(context, EVP_sha256()) > 0
        else {
            throw Self.failure(.encryptionFailed, "cannot set RSAES-OAEP with SHA-256 for \(certificate.summary)")
        }
    }

    private func der(failing code: CMSError.Code) throws(CMSError) -> [UInt8] {
        let count = i2d_CMS_ContentInfo(pointer, nil)
        guard count > 0 else { throw Self.failure(code, "OpenSSL could not encode the ContentInfo") }
        var bytes = [UInt8](repeating: 0, count: Int(count))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_CMS_ContentInfo(pointer, &cursor)
        }
        guard written == count else { throw Self.failure(code, "OpenSSL could not encode the ContentInfo") }
        return bytes
    }

    // MARK: Reading

    /// Parses a DER (or BER) ContentInfo and checks it is EnvelopedData with its encrypted content attached.
    /// - Throws: ``CMSError`` `.malformedEnvelope`, or `.unsupportedAlgorithm` for AuthEnvelopedData.
    static func parse(_ der: [UInt8]) throws(CMSError) -> Envelope {
        OpenSSLErrorQueue.clear()
        let parsed = der.withUnsafeBufferPointer { buffer -> (OpaquePointer?, Int) in
            var cursor = buffer.baseAddress
            guard buffer.count > 0, let start = cursor else { return (nil, 0) }
            let made = d2i_CMS_ContentInfo(nil, &cursor, buffer.count)
            return (made, cursor.map { $0 - start } ?? 0)
        }
        guard let made = parsed.0 else {
            throw failure(.malformedEnvelope, der.isEmpty ? "empty input, not a CMS ContentInfo"
                                                          : "not a DER CMS ContentInfo (corrupt or truncated)")
        }
        let envelope = Envelope(taking: made, input: der)
        guard parsed.1 == der.count else {
            throw CMSError(.malformedEnvelope, reason: "\(der.count - parsed.1) unexpected bytes after the ContentInfo")
        }
        let type = OBJ_obj2nid(CMS_get0_type(made))
        guard type == NID_pkcs7_enveloped else {
            if type == NID_id_smime_ct_authEnvelopedData {
                throw CMSError(.unsupportedAlgorithm, reason: "AuthEnvelopedData (RFC 5083) is not supported")
            }
            throw CMSError(.malformedEnvelope, reason: "the ContentInfo holds \(Self.name(CMS_get0_type(made))), not envelopedData")
        }
        guard let content = CMS_get0_content(made), content.pointee != nil else {
            throw CMSError(.malformedEnvelope, reason: "the envelope has no encrypted content (detached content is not supported)")
        }
        return envelope
    }

    /// Recipients and content cipher, without any key.
    /// - Throws: ``CMSError`` `.malformedEnvelope` when the encryptedContentInfo cannot be read.
    func info() throws(CMSError) -> EnvelopeInfo {
        let oid = try contentCipherOID()
        return EnvelopeInfo(recipients: recipients(), cipher: ContentCipher(oid: oid), cipherOID: oid)
    }

    /// The contentEncryptionAlgorithm OBJECT IDENTIFIER, dotted.
    /// - Throws: ``CMSError`` `.malformedEnvelope` when the encryptedContentInfo cannot be read.
    func contentCipherOID() throws(CMSError) -> String {
        try contentEncryptionAlgorithm().oid
    }

    /// Every RecipientInfo, in order.
    func recipients() -> [EnvelopeInfo.Recipient] {
        (0..<shim_CMS_recipient_count(pointer)).map { recipient(at: $0) }
    }

    /// Indices of the key-transport (ktri) RecipientInfos, the only kind an RSA key can open.
    var keyTransportIndices: [Int32] {
        (0..<shim_CMS_recipient_count(pointer)).filter { index in
            guard let info = shim_CMS_recipient_at(pointer, index) else { return false }
            return CMS_RecipientInfo_type(info) == shim_cms_recipient_type_key_transport()
        }
    }

    /// True when RecipientInfo `index` names `certificate` (issuer and serial, or subject key identifier).
    func recipient(at index: Int32, isFor certificate: X509Certificate) -> Bool {
        guard let info = shim_CMS_recipient_at(pointer, index) else { return false }
        return CMS_RecipientInfo_ktri_cert_cmp(info, certificate.pointer) == 0
    }

    /// Decrypts RecipientInfo `index`'s encrypted content key with `key` (RFC 5652 6.2.1), leaving it inside the
    /// CMS structure for ``decryptContent()``. False when the key cannot open this RecipientInfo.
    func unwrapContentKey(recipientAt index: Int32, with key: EVPKey) -> Bool {
        guard let info = shim_CMS_recipient_at(pointer, index) else { return false }
        // CMS_RecipientInfo_set0_pkey takes a reference and releases it when replaced (here by NULL).
        EVP_PKEY_up_ref(key.pointer)
        CMS_RecipientInfo_set0_pkey(info, key.pointer)
        let result = CMS_RecipientInfo_decrypt(pointer, info)
        CMS_RecipientInfo_set0_pkey(info, nil)
        return result == 1
    }

    /// Decrypts the content with the key set by ``unwrapContentKey(recipientAt:with:)``.
    ///
    /// `CMS_DEBUG_DECRYPT` makes OpenSSL report a content key of the wrong length instead of silently substituting
    /// a random one (its countermeasure against the Million Message Attack); see ``EnvelopedData`` for why.
    /// - Throws: ``CMSError`` `.decryptionFailed` (bad CBC padding, damaged ciphertext or IV).
    func decryptContent() throws(CMSError) -> [UInt8] {
        try MemoryBIO.withWritable(failing: .decryptionFailed) { output throws(CMSError) in
            let flags = shim_cms_flag_binary() | shim_cms_flag_debug_decrypt()
            guard CMS_decrypt(pointer, nil, nil, nil, output, flags) == 1 else {
                throw Self.failure(.decryptionFailed, "cannot decrypt: the encrypted content is damaged (bad padding or wrong content key)")
            }
        }
    }

    // MARK: Helpers

    private func recipient(at index: Int32) -> EnvelopeInfo.Recipient {
        guard let info = shim_CMS_recipient_at(pointer, index),
              CMS_RecipientInfo_type(info) == shim_cms_recipient_type_key_transport()
        else {
            return EnvelopeInfo.Recipient(issuer: nil, serialNumberHex: nil, subjectKeyIdentifierHex: nil,
                                          keyTransport: nil, keyTransportOID: "")
        }
        var keyIdentifier: UnsafeMutablePointer<ASN1_OCTET_STRING>?
        var issuer: OpaquePointer?
        var serial: UnsafeMutablePointer<ASN1_INTEGER>?
        let identified = CMS_RecipientInfo_ktri_get0_signer_id(info, &keyIdentifier, &issuer, &serial) == 1
        var algorithm: UnsafeMutablePointer<X509_ALGOR>?
        CMS_RecipientInfo_ktri_get0_algs(info, nil, nil, &algorithm)
        let identifier = algorithm.flatMap { Self.algorithmIdentifier($0) }
        let oid = identifier?.oid ?? ""
        return EnvelopeInfo.Recipient(
            issuer: identified ? issuer.map { X509Certificate.format($0) } : nil,
            serialNumberHex: identified ? serial.map { X509Certificate.hex(serial: UnsafePointer($0)) } : nil,
            subjectKeyIdentifierHex: identified ? keyIdentifier.map { Self.hex(X509Certificate.bytes(of: UnsafePointer($0))) } : nil,
            keyTransport: KeyTransport(oid: oid, parameters: identifier?.parameters),
            keyTransportOID: oid)
    }

    /// encryptedContentInfo.contentEncryptionAlgorithm, since OpenSSL 3.0 has no getter for it. Read from the input
    /// when that is definite-length (OpenSSL has parsed it, so the fields are where the reader finds them), otherwise
    /// from OpenSSL's own DER re-encoding (always definite lengths, whatever BER the input used).
    private func contentEncryptionAlgorithm() throws(CMSError) -> AlgorithmIdentifier {
        if let algorithm = Self.contentEncryptionAlgorithm(in: input[...]) { return algorithm }
        let der = try der(failing: .malformedEnvelope)
        guard let algorithm = Self.contentEncryptionAlgorithm(in: der[...]) else { throw Self.unreadableAlgorithm }
        return algorithm
    }

    /// Walks ContentInfo > EnvelopedData > EncryptedContentInfo; nil when the reader cannot follow the encoding.
    private static func contentEncryptionAlgorithm(in der: ArraySlice<UInt8>) -> AlgorithmIdentifier? {
        var top = DERReader(der)
        guard let contentInfo = top.read(tag: DERReader.sequence) else { return nil }
        var fields = DERReader(contentInfo.content)
        guard fields.read(tag: DERReader.objectIdentifier) != nil,
              let explicit = fields.read(tag: DERReader.contextConstructed(0)) else { return nil }
        var wrapper = DERReader(explicit.content)
        guard let enveloped = wrapper.read(tag: DERReader.sequence) else { return nil }
        var body = DERReader(enveloped.content)
        guard body.read(tag: DERReader.integer) != nil else { return nil }
        _ = body.read(tag: DERReader.contextConstructed(0))   // originatorInfo, optional
        guard body.read(tag: DERReader.set) != nil,
              let encryptedContentInfo = body.read(tag: DERReader.sequence) else { return nil }
        var encrypted = DERReader(encryptedContentInfo.content)
        guard encrypted.read(tag: DERReader.objectIdentifier) != nil, let element = encrypted.read() else { return nil }
        return AlgorithmIdentifier(element)
    }

    private static var unreadableAlgorithm: CMSError {
        CMSError(.malformedEnvelope, reason: "cannot read the content-encryption algorithm")
    }

    private static func algorithmIdentifier(_ algorithm: UnsafeMutablePointer<X509_ALGOR>) -> AlgorithmIdentifier? {
        let count = i2d_X509_ALGOR(algorithm, nil)
        guard count > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(count))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509_ALGOR(algorithm, &cursor)
        }
        return AlgorithmIdentifier(der: bytes[...])
    }

    private static func name(_ object: OpaquePointer?) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let count = buffer.count
        return buffer.withUnsafeMutableBufferPointer { storage in
            guard let base = storage.baseAddress, OBJ_obj2txt(base, Int32(count), object, 0) > 0 else { return "unknown content" }
            return String(cString: base)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func failure(_ code: CMSError.Code, _ reason: String) -> CMSError {
        CMSError(code, reason: reason, openSSLErrors: OpenSSLErrorQueue.drain())
    }
}
