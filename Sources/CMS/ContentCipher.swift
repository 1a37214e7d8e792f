/// The content-encryption algorithm of an envelope (RFC 5652 6.1 `contentEncryptionAlgorithm`).
///
/// AES-CBC per RFC 3565; Triple-DES (DES-EDE3-CBC, RFC 3370 5.1) is **legacy**: 64-bit blocks and 112-bit security.
/// It is here to read and write envelopes for older systems; choose AES for anything new.
/// Raw values follow OpenSSL's cipher names, for command-line options.
public enum ContentCipher: String, Sendable, CaseIterable, CustomStringConvertible {
    /// AES-128 in CBC mode, `id-aes128-CBC` 2.16.840.1.101.3.4.1.2.
    case aes128CBC = "aes-128-cbc"
    /// AES-192 in CBC mode, `id-aes192-CBC` 2.16.840.1.101.3.4.1.22.
    case aes192CBC = "aes-192-cbc"
    /// AES-256 in CBC mode, `id-aes256-CBC` 2.16.840.1.101.3.4.1.42; the default.
    case aes256CBC = "aes-256-cbc"
    /// Legacy Triple-DES, `des-ede3-cbc` 1.2.840.113549.3.7.
    case tripleDESCBC = "des-ede3-cbc"

    /// The algorithm's OBJECT IDENTIFIER, dotted.
    public var oid: String {
        switch self {
        case .aes128CBC: "2.16.840.1.101.3.4.1.2"
        case .aes192CBC: "2.16.840.1.101.3.4.1.22"
        case .aes256CBC: "2.16.840.1.101.3.4.1.42"
        case .tripleDESCBC: "1.2.840.113549.3.7"
        }
    }

    /// True for ciphers kept only for compatibility (Triple-DES).
    public var isLegacy: Bool { self == .tripleDESCBC }

    /// The cipher with this OBJECT IDENTIFIER, nil for any other.
    public init?(oid: String) {
        guard let match = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = match
    }

    /// The raw value, e.g. `aes-256-cbc`.
    public var description: String { rawValue }
}
