/// How the content-encryption key is encrypted for each recipient's RSA key (RFC 5652 6.2.1 KeyTransRecipientInfo).
/// Raw values are for command-line options.
public enum KeyTransport: String, Sendable, CaseIterable, CustomStringConvertible {
    /// RSAES-PKCS1-v1_5 (RFC 3370 4.2.1, `rsaEncryption` 1.2.840.113549.1.1.1); the default, read by every CMS reader.
    case rsaPKCS1v15 = "rsa-pkcs1-v1.5"
    /// RSAES-OAEP (RFC 3560, RFC 8017 7.1, `id-RSAES-OAEP` 1.2.840.113549.1.1.7) with SHA-256 as both the hash and
    /// the MGF1 hash, and the empty label:
    /// ```
    /// RSAES-OAEP-params ::= SEQUENCE {
    ///   hashAlgorithm     [0] HashAlgorithm    DEFAULT sha1,
    ///   maskGenAlgorithm  [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
    ///   pSourceAlgorithm  [2] PSourceAlgorithm DEFAULT pSpecifiedEmpty }
    /// ```
    case rsaOAEPSHA256 = "rsa-oaep-sha256"

    /// The keyEncryptionAlgorithm OBJECT IDENTIFIER, dotted.
    public var oid: String {
        switch self {
        case .rsaPKCS1v15: Self.rsaEncryption
        case .rsaOAEPSHA256: Self.rsaesOAEP
        }
    }

    /// The raw value, e.g. `rsa-oaep-sha256`.
    public var description: String { rawValue }

    static let rsaEncryption = "1.2.840.113549.1.1.1"
    static let rsaesOAEP = "1.2.840.113549.1.1.7"
    private static let mgf1 = "1.2.840.113549.1.1.8"
    private static let pSpecified = "1.2.840.113549.1.1.9"
    private static let sha256 = "2.16.840.1.101.3.4.2.1"

    /// Recognises a keyEncryptionAlgorithm; OAEP counts only with SHA-256 / MGF1-SHA-256 and an empty label
    /// (OAEP with other hashes is valid CMS that OpenSSL may still decrypt, but it is not one of these cases).
    init?(oid: String, parameters: ArraySlice<UInt8>?) {
        switch oid {
        case Self.rsaEncryption:
            self = .rsaPKCS1v15
        case Self.rsaesOAEP:
            guard let parameters, Self.isOAEPWithSHA256(parameters) else { return nil }
            self = .rsaOAEPSHA256
        default:
            return nil
        }
    }

    private static func isOAEPWithSHA256(_ encoded: ArraySlice<UInt8>) -> Bool {
        var outer = DERReader(encoded)
        guard let sequence = outer.read(tag: DERReader.sequence), outer.isAtEnd else { return false }
        var fields = DERReader(sequence.content)
        // [0] hashAlgorithm
        guard let hash = fields.read(tag: DERReader.contextConstructed(0)),
              let hashAlgorithm = AlgorithmIdentifier(der: hash.content), hashAlgorithm.oid == sha256 else { return false }
        // [1] maskGenAlgorithm: mgf1 with parameter AlgorithmIdentifier sha256
        guard let mask = fields.read(tag: DERReader.contextConstructed(1)),
              let maskAlgorithm = AlgorithmIdentifier(der: mask.content), maskAlgorithm.oid == mgf1,
              let maskHashDER = maskAlgorithm.parameters,
              let maskHash = AlgorithmIdentifier(der: maskHashDER), maskHash.oid == sha256 else { return false }
        // [2] pSourceAlgorithm: absent, or pSpecified with an empty OCTET STRING
        if let source = fields.read(tag: DERReader.contextConstructed(2)) {
            guard let algorithm = AlgorithmIdentifier(der: source.content), algorithm.oid == pSpecified,
                  algorithm.parameters.map(Array.init) == [0x04, 0x00] else { return false }
        }
        return fields.isAtEnd
    }
}
