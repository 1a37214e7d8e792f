/// CMS EnvelopedData (RFC 5652 6) with RSA key transport: encrypt bytes for one or more certificates, decrypt with a
/// private key, inspect without one.
///
/// ```
/// ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
/// id-envelopedData OBJECT IDENTIFIER ::= { iso(1) member-body(2) us(840) rsadsi(113549) pkcs(1) pkcs7(7) 3 }
/// ```
///
/// ## Choosing the RecipientInfo when decrypting
/// When the recipient's certificate is known (passed in, or the key came from a PKCS#12 bundle) it selects the
/// RecipientInfo, and a certificate that is not among the recipients is reported as ``CMSError/Code/notARecipient``
/// before any RSA operation. Without a certificate, the key is tried against each key-transport RecipientInfo in
/// turn; this fallback is what OpenSSL's `CMS_decrypt` does with a NULL certificate, and it is the slower and less
/// precise path (a damaged encrypted key then looks like "not a recipient"), so pass the certificate when you have it.
///
/// ## Verify the plaintext
/// CBC has no integrity protection: a damaged ciphertext may still end in valid padding and decrypt to garbage
/// without an error. A wrong RSA key is detected by the PKCS#1 v1.5 / OAEP padding check, except about once in
/// 65,000 attempts for PKCS#1 v1.5 (then the content fails to decrypt, or rarely yields garbage). OpenSSL 3.2 and
/// later also have *implicit rejection* for PKCS#1 v1.5, where a failed padding check returns a pseudo-random key
/// instead of an error (the OpenSSL 3.0 this was built against has none; `CMS_DEBUG_DECRYPT` is set either way).
/// So callers must check that the plaintext makes sense; the DICOM layer does (the decrypted data set has to parse
/// completely).
///
/// ## Why failures are reported precisely
/// OpenSSL hides key-unwrap failures by default (it continues with a random content key) as a countermeasure to
/// Bleichenbacher's Million Message Attack, which needs an oracle that decrypts attacker-chosen envelopes and
/// reveals whether padding was valid. This module reports them (``CMSError/Code/notARecipient``,
/// ``CMSError/Code/decryptionFailed``) because its users decrypt their own files offline and need to know which
/// key is wrong. Do not expose these error codes from a network service that decrypts untrusted input.
public enum EnvelopedData {
    /// Encrypts `content` for every certificate in `recipients`.
    ///
    /// A fresh random content-encryption key and IV are made for each call. The content is encrypted as binary
    /// (`CMS_BINARY`): no line-ending conversion.
    ///
    /// - Parameters:
    ///   - content: the bytes to protect.
    ///   - recipients: at least one certificate; each one's RSA key can decrypt the result.
    ///   - cipher: content cipher; AES-256-CBC by default (Triple-DES is legacy).
    ///   - keyTransport: RSAES-PKCS1-v1_5 by default, or RSAES-OAEP with SHA-256.
    ///   - identifier: how each RecipientInfo names its certificate.
    ///   - allowWeakKeys: accept RSA keys under 2048 bits.
    /// - Returns: a DER ContentInfo of type id-envelopedData.
    /// - Throws: ``CMSError``: the refusals of ``RecipientCertificate/check(now:allowWeakKeys:)`` (`.notRSA`,
    ///   `.weakKey`, `.keyUsageForbidsEncipherment`; validity dates only warn and are not checked here),
    ///   `.missingSubjectKeyIdentifier`, `.encryptionFailed` (also for an empty recipient list).
    public static func encrypt(_ content: [UInt8], to recipients: [RecipientCertificate],
                               cipher: ContentCipher = .aes256CBC, keyTransport: KeyTransport = .rsaPKCS1v15,
                               identifier: RecipientIdentifierKind = .issuerAndSerialNumber,
                               allowWeakKeys: Bool = false) throws(CMSError) -> [UInt8] {
        guard !recipients.isEmpty else {
            throw CMSError(.encryptionFailed, reason: "cannot encrypt: no recipient certificate given")
        }
        for recipient in recipients {
            _ = try recipient.check(allowWeakKeys: allowWeakKeys)
            if identifier == .subjectKeyIdentifier && recipient.subjectKeyIdentifierHex == nil {
                throw CMSError(.missingSubjectKeyIdentifier,
                               reason: "certificate \(recipient) has no subjectKeyIdentifier extension; "
                                     + "identify recipients by issuer and serial number instead", path: recipient.source)
            }
        }
        return try Envelope.encrypt(content, to: recipients.map(\.x509), cipher: cipher, keyTransport: keyTransport,
                                    useKeyIdentifier: identifier == .subjectKeyIdentifier)
    }

    /// Decrypts an envelope with `key`.
    ///
    /// - Parameters:
    ///   - contentInfo: a DER (or BER) ContentInfo of type id-envelopedData.
    ///   - key: the recipient's RSA private key.
    ///   - certificate: the recipient's certificate, if known; `nil` uses `key.certificate`, and without either the
    ///     key is tried against every recipient (see the type's discussion).
    /// - Returns: the content. See "Verify the plaintext" above.
    /// - Throws: ``CMSError``: `.malformedEnvelope` (corrupt, truncated, not EnvelopedData), `.unsupportedAlgorithm`
    ///   (content cipher not in ``ContentCipher``, no RSA key-transport recipient), `.keyDoesNotMatchCertificate`,
    ///   `.notARecipient` (the reason names the envelope's recipients), `.decryptionFailed`.
    public static func decrypt(_ contentInfo: [UInt8], key: RecipientPrivateKey,
                               certificate: RecipientCertificate? = nil) throws(CMSError) -> [UInt8] {
        let envelope = try Envelope.parse(contentInfo)
        return try decrypt(envelope, cipherOID: envelope.contentCipherOID(), key: key, certificate: certificate)
    }

    /// ``decrypt(_:key:certificate:)`` after parsing. The recipient list is only built for an error message.
    static func decrypt(_ envelope: Envelope, cipherOID: String, key: RecipientPrivateKey,
                        certificate: RecipientCertificate?) throws(CMSError) -> [UInt8] {
        guard ContentCipher(oid: cipherOID) != nil else {
            throw CMSError(.unsupportedAlgorithm,
                           reason: "cannot decrypt: content cipher \(cipherOID) is not AES-CBC or DES-EDE3-CBC")
        }
        let transports = envelope.keyTransportIndices
        guard !transports.isEmpty else {
            throw CMSError(.unsupportedAlgorithm, reason: "cannot decrypt: the envelope has no RSA key-transport recipient")
        }
        var recipientList: String { envelope.recipients().map(\.description).joined(separator: "; ") }

        guard let certificate = certificate ?? key.certificate else {
            // Fallback: try the key against each recipient. A wrong key passes the RSA padding check about once
            // in 65,000 tries; the content then fails to decrypt, so go on with the next recipient.
            var contentFailure: CMSError?
            for index in transports {
                guard envelope.unwrapContentKey(recipientAt: index, with: key.key) else {
                    OpenSSLErrorQueue.clear()   // expected for every recipient that is not this key's
                    continue
                }
                do throws(CMSError) {
                    return try envelope.decryptContent()
                } catch {
                    contentFailure = error
                }
            }
            if let contentFailure { throw contentFailure }
            throw CMSError(.notARecipient,
                           reason: "cannot decrypt: this key is not a recipient (encrypted for \(recipientList))")
        }

        guard key.matches(certificate) else {
            throw CMSError(.keyDoesNotMatchCertificate,
                           reason: "cannot decrypt: the private key does not belong to certificate \(certificate)")
        }
        let selected = transports.filter { envelope.recipient(at: $0, isFor: certificate.x509) }
        guard !selected.isEmpty else {
            throw CMSError(.notARecipient, reason: "cannot decrypt: this key is not a recipient (encrypted for "
                                                 + "\(recipientList); the key's certificate is \(certificate))")
        }
        guard selected.contains(where: { envelope.unwrapContentKey(recipientAt: $0, with: key.key) }) else {
            throw Envelope.failure(.decryptionFailed,
                                   "cannot decrypt: the content key encrypted for \(certificate) does not decrypt with "
                                       + "its private key (damaged envelope)")
        }
        return try envelope.decryptContent()
    }

    /// Lists an envelope's recipients and content cipher without decrypting.
    /// To decrypt it as well, ``ParsedEnvelope`` parses it only once.
    /// - Parameter contentInfo: a DER (or BER) ContentInfo of type id-envelopedData.
    /// - Throws: ``CMSError`` `.malformedEnvelope`, `.unsupportedAlgorithm` (AuthEnvelopedData).
    public static func inspect(_ contentInfo: [UInt8]) throws(CMSError) -> EnvelopeInfo {
        try Envelope.parse(contentInfo).info()
    }

    /// The length of the DER element that starts `bytes` (tag, length and content), when its header is complete
    /// and definite: how much of an Encrypted Content value is the ContentInfo, before the padding byte a DICOM OB
    /// value of odd length gets (PS3.5 7.1.1).
    public static func derElementLength(_ bytes: ArraySlice<UInt8>) -> Int? {
        var reader = DERReader(bytes)
        return reader.read().map(\.encoded.count)
    }
}
