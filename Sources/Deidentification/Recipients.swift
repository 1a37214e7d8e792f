import CMS

/// Who can open the Encrypted Attributes (and so re-identify), and how the originals are encrypted to them.
public struct Recipients: Sendable {
    public var certificates: [RecipientCertificate]
    public var cipher: ContentCipher
    public var keyTransport: KeyTransport
    /// Encrypt to RSA recipients with keys shorter than 2048 bits (the user asked for it).
    public var allowWeakKeys: Bool

    public init(_ certificates: [RecipientCertificate], cipher: ContentCipher = .aes256CBC,
                keyTransport: KeyTransport = .rsaPKCS1v15, allowWeakKeys: Bool = false) {
        self.certificates = certificates
        self.cipher = cipher
        self.keyTransport = keyTransport
        self.allowWeakKeys = allowWeakKeys
    }
}
