/// What an envelope says about itself, read without any key (``EnvelopedData/inspect(_:)``).
public struct EnvelopeInfo: Sendable {
    /// One RecipientInfo (RFC 5652 6.2). Key-transport recipients (the kind RSA uses) fill in the fields; other kinds
    /// (key agreement, KEK, password) appear with every field nil and an empty ``keyTransportOID``.
    /// ```
    /// KeyTransRecipientInfo ::= SEQUENCE {
    ///   version CMSVersion, rid RecipientIdentifier,
    ///   keyEncryptionAlgorithm KeyEncryptionAlgorithmIdentifier, encryptedKey EncryptedKey }
    /// ```
    public struct Recipient: Sendable, CustomStringConvertible {
        /// Issuer of the recipient's certificate (RFC 2253 form), when identified by issuer and serial number.
        public let issuer: String?
        /// Serial number of the recipient's certificate in upper-case hex, when identified by issuer and serial.
        public let serialNumberHex: String?
        /// Subject key identifier in upper-case hex, when identified that way.
        public let subjectKeyIdentifierHex: String?
        /// The key transport, when it is one of ``KeyTransport``'s cases.
        public let keyTransport: KeyTransport?
        /// The keyEncryptionAlgorithm OBJECT IDENTIFIER, dotted, whatever it is.
        public let keyTransportOID: String

        /// "CN=..., serial 0A01", or "subject key identifier 3CC1...".
        public var description: String {
            if let issuer, let serialNumberHex { return "\(issuer), serial \(serialNumberHex)" }
            if let subjectKeyIdentifierHex { return "subject key identifier \(subjectKeyIdentifierHex)" }
            return "a recipient that is not RSA key transport"
        }
    }

    /// The RecipientInfos, in order.
    public var recipients: [Recipient]
    /// The content cipher, when it is one of ``ContentCipher``'s cases.
    public var cipher: ContentCipher?
    /// The contentEncryptionAlgorithm OBJECT IDENTIFIER, dotted, whatever it is.
    public var cipherOID: String
}
