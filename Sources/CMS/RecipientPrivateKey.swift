internal import Hashing
/// An RSA private key that can open envelopes addressed to its certificate.
///
/// Accepted containers (auto-detected, whichever initialiser is used): PEM PKCS#1 (`RSA PRIVATE KEY`, optionally
/// encrypted with `Proc-Type`/`DEK-Info` headers), PEM PKCS#8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`), the same in
/// DER, and PKCS#12 (`.p12`/`.pfx`). A PKCS#12 bundle's certificate (or a certificate in the same PEM file that
/// belongs to the key) becomes ``certificate``, which ``EnvelopedData/decrypt(_:key:certificate:)`` then uses to pick
/// the right RecipientInfo. Key file bytes read here are wiped after parsing.
public struct RecipientPrivateKey: Sendable {
    let key: EVPKey

    /// The certificate that came with the key (PKCS#12, or PEM key + certificate), nil otherwise.
    public let certificate: RecipientCertificate?

    /// Reads a private key file.
    /// - Parameters:
    ///   - path: PEM, DER or PKCS#12 file.
    ///   - passphrase: for an encrypted key or a protected PKCS#12 bundle; ignored otherwise.
    /// - Throws: ``CMSError`` naming `path`: `.unreadableFile`, `.passphraseUnavailable` (encrypted but no
    ///   passphrase), `.wrongPassphrase`, `.expectedKeyGotCertificate`, `.notRSA`, `.unsupportedAlgorithm`,
    ///   `.unrecognizedFormat`.
    public init(contentsOf path: String, passphrase: Passphrase?) throws(CMSError) {
        var bytes = try FileBytes.read(path, what: "private key")
        defer { Cleanse.bytes(&bytes) }
        try self.init(KeyLoader.load(bytes, passphrase: passphrase, path: path), source: path)
    }

    /// Parses a PEM private key (DER and PKCS#12 are accepted too).
    /// - Throws: ``CMSError`` as ``init(contentsOf:passphrase:)``, without a path.
    public init(pem: [UInt8], passphrase: Passphrase?) throws(CMSError) {
        try self.init(KeyLoader.load(pem, passphrase: passphrase, path: nil), source: nil)
    }

    /// Parses a DER private key: PKCS#8, PKCS#1, encrypted PKCS#8 or PKCS#12 (the last two with `passphrase`).
    /// - Throws: ``CMSError`` as ``init(contentsOf:passphrase:)``, without a path.
    public init(der: [UInt8], passphrase: Passphrase? = nil) throws(CMSError) {
        try self.init(KeyLoader.load(der, passphrase: passphrase, path: nil), source: nil)
    }

    private init(_ material: KeyLoader.Material, source: String?) {
        key = material.key
        certificate = material.certificate.map { RecipientCertificate(x509: $0, source: source) }
    }

    /// The RSA modulus size in bits.
    public var keyBits: Int { key.bits }

    /// SHA-256 of the public key (DER SubjectPublicKeyInfo), lower-case hex: names the key in audit records
    /// without revealing anything about the private half.
    public var publicKeySHA256Hex: String {
        SHA256.digest([key.publicKeyDER]).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// True when `certificate` holds this key's public half.
    public func matches(_ certificate: RecipientCertificate) -> Bool {
        key.matches(certificate.x509)
    }
}
