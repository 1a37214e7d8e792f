import Foundation

/// An X.509 certificate (RFC 5280) of someone who may decrypt: its RSA public key encrypts the content key.
///
/// Load it from PEM (the first `CERTIFICATE` block) or DER; every initialiser detects which it was given and says so
/// when it was handed a private key instead. Call ``check(now:allowWeakKeys:)`` before encrypting to show the user
/// its warnings; ``EnvelopedData/encrypt(_:to:cipher:keyTransport:identifier:allowWeakKeys:)`` enforces its refusals.
public struct RecipientCertificate: Sendable, CustomStringConvertible {
    let x509: X509Certificate
    /// The file it came from, for error messages.
    let source: String?

    /// Subject name in RFC 2253 order, one line: "CN=dicom-deid TEST-ONLY recipient A,O=NOT FOR REAL DATA".
    public let subject: String
    /// Issuer name, same form as ``subject``.
    public let issuer: String
    /// Serial number in upper-case hex, two digits per byte ("0A01").
    public let serialNumberHex: String
    /// Public key size in bits.
    public let keyBits: Int
    /// Start of the validity period.
    public let notBefore: Date
    /// End of the validity period.
    public let notAfter: Date
    /// What ``check(now:allowWeakKeys:)`` refuses on, read once: encrypting checks every recipient for every file.
    private let hasRSAKey: Bool
    private let keyUsageAllowsKeyEncipherment: Bool

    /// Parses a PEM certificate (DER is accepted too).
    /// - Throws: ``CMSError`` `.expectedCertificateGotKey`, `.unrecognizedFormat`.
    public init(pem: [UInt8]) throws(CMSError) {
        try self.init(x509: X509Certificate.load(pem, path: nil), source: nil)
    }

    /// Parses a DER certificate (PEM is accepted too).
    /// - Throws: ``CMSError`` `.expectedCertificateGotKey`, `.unrecognizedFormat`.
    public init(der: [UInt8]) throws(CMSError) {
        try self.init(x509: X509Certificate.load(der, path: nil), source: nil)
    }

    /// Reads a PEM or DER certificate file (auto-detected).
    /// - Throws: ``CMSError`` naming `path`: `.unreadableFile`, `.expectedCertificateGotKey`, `.unrecognizedFormat`.
    public init(contentsOf path: String) throws(CMSError) {
        let bytes = try FileBytes.read(path, what: "certificate")
        try self.init(x509: X509Certificate.load(bytes, path: path), source: path)
    }

    init(x509: X509Certificate, source: String?) {
        self.x509 = x509
        self.source = source
        subject = x509.subject
        issuer = x509.issuer
        serialNumberHex = x509.serialNumberHex
        keyBits = x509.keyBits
        notBefore = x509.notBefore
        notAfter = x509.notAfter
        hasRSAKey = x509.hasRSAKey
        keyUsageAllowsKeyEncipherment = x509.keyUsageAllowsKeyEncipherment
    }

    /// The certificate's DER encoding.
    public var derBytes: [UInt8] { x509.der }

    /// The subjectKeyIdentifier extension in upper-case hex, nil when the certificate has none.
    public var subjectKeyIdentifierHex: String? { x509.subjectKeyIdentifier.map(Envelope.hex) }

    /// The public key algorithm's short name: "RSA", "EC", ...
    public var keyAlgorithm: String { x509.keyAlgorithm }

    /// "CN=..., serial 0A01".
    public var description: String { x509.summary }

    /// Checks the certificate is fit to encrypt to: refuses what cannot or must not be used, and returns
    /// warnings for what the user should hear about but may go ahead with.
    ///
    /// - Parameters:
    ///   - now: the time to judge validity against.
    ///   - allowWeakKeys: accept RSA keys shorter than 2048 bits (for old systems; the user asked for it).
    /// - Returns: warnings, one line each: expired, or not yet valid.
    /// - Throws: ``CMSError`` `.notRSA` (e.g. an EC key), `.weakKey` (RSA under 2048 bits),
    ///   `.keyUsageForbidsEncipherment` (a keyUsage extension without keyEncipherment, RFC 5280 4.2.1.3).
    public func check(now: Date = Date(), allowWeakKeys: Bool = false) throws(CMSError) -> [String] {
        guard hasRSAKey else {
            throw CMSError(.notRSA, reason: "certificate \(self): its key is \(keyAlgorithm), not RSA; "
                                          + "CMS key transport here needs an RSA key", path: source)
        }
        guard keyBits >= 2048 || allowWeakKeys else {
            throw CMSError(.weakKey, reason: "certificate \(self) has a \(keyBits)-bit RSA key; at least 2048 bits "
                                           + "are required (allowing weak keys overrides this)", path: source)
        }
        guard keyUsageAllowsKeyEncipherment else {
            throw CMSError(.keyUsageForbidsEncipherment,
                           reason: "certificate \(self) has a keyUsage extension without keyEncipherment", path: source)
        }
        var warnings: [String] = []
        if now < notBefore {
            warnings.append("certificate \(self) is not valid until \(Self.day(notBefore))")
        }
        if now > notAfter {
            warnings.append("certificate \(self) expired on \(Self.day(notAfter))")
        }
        return warnings
    }

    private static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
