/// An envelope parsed once, to read its ``info`` and then decrypt it: the same results and errors as
/// ``EnvelopedData/inspect(_:)`` followed by ``EnvelopedData/decrypt(_:key:certificate:)``, which parse it twice.
///
/// Not `Sendable`: decrypting changes the OpenSSL structure inside, so use each instance from one thread at a time.
public final class ParsedEnvelope {
    let envelope: Envelope

    /// Recipients and content cipher, as ``EnvelopedData/inspect(_:)`` lists them.
    public let info: EnvelopeInfo

    /// Parses a DER (or BER) ContentInfo of type id-envelopedData.
    /// - Throws: ``CMSError`` as ``EnvelopedData/inspect(_:)``: `.malformedEnvelope`, `.unsupportedAlgorithm`
    ///   (AuthEnvelopedData).
    public init(_ contentInfo: [UInt8]) throws(CMSError) {
        envelope = try Envelope.parse(contentInfo)
        info = try envelope.info()
    }

    /// Decrypts with `key`, as ``EnvelopedData/decrypt(_:key:certificate:)`` does (see there for `certificate`).
    /// - Throws: ``CMSError``: `.unsupportedAlgorithm`, `.keyDoesNotMatchCertificate`, `.notARecipient`,
    ///   `.decryptionFailed`; the parsing errors were thrown by ``init(_:)``.
    public func decrypt(key: RecipientPrivateKey, certificate: RecipientCertificate? = nil) throws(CMSError) -> [UInt8] {
        try EnvelopedData.decrypt(envelope, cipherOID: info.cipherOID, key: key, certificate: certificate)
    }
}
