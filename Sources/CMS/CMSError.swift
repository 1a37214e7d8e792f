/// The one error type of the CMS module: what went wrong (``code``), in words a user can act on (``reason``).
///
/// Equality and hashing use ``code`` only, so tests and callers can write
/// `#expect(throws: CMSError(.notARecipient)) { ... }` or `catch let error as CMSError where error.code == .wrongPassphrase`.
/// No error ever carries key material, plaintext or a passphrase; ``openSSLErrors`` holds OpenSSL's own reason strings.
public struct CMSError: Error, Hashable, CustomStringConvertible {
    /// A distinct, stable error case. New codes may be added; compare with `==`, do not switch exhaustively.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `notARecipient`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The code's name.
        public var description: String { name }

        /// The private key opens none of the envelope's RecipientInfos, or the given certificate is not one of them.
        public static let notARecipient = Code("notARecipient")
        /// The private key is encrypted and the passphrase does not open it.
        public static let wrongPassphrase = Code("wrongPassphrase")
        /// The input is not a well-formed DER ContentInfo holding EnvelopedData (corrupt, truncated, other type).
        public static let malformedEnvelope = Code("malformedEnvelope")
        /// A content cipher, key-transport or key-encryption algorithm this module does not handle.
        public static let unsupportedAlgorithm = Code("unsupportedAlgorithm")
        /// A certificate or private key whose key is not RSA (e.g. EC).
        public static let notRSA = Code("notRSA")
        /// An RSA key shorter than 2048 bits, refused unless explicitly allowed.
        public static let weakKey = Code("weakKey")
        /// The certificate has a keyUsage extension without keyEncipherment (RFC 5280 4.2.1.3).
        public static let keyUsageForbidsEncipherment = Code("keyUsageForbidsEncipherment")
        /// A file could not be opened or read.
        public static let unreadableFile = Code("unreadableFile")
        /// A certificate was given where a private key was expected.
        public static let expectedKeyGotCertificate = Code("expectedKeyGotCertificate")
        /// A private key was given where a certificate was expected.
        public static let expectedCertificateGotKey = Code("expectedCertificateGotKey")
        /// The content could not be decrypted although the recipient matched (damaged ciphertext, IV or encrypted key).
        public static let decryptionFailed = Code("decryptionFailed")
        /// OpenSSL refused to build the envelope.
        public static let encryptionFailed = Code("encryptionFailed")
        /// No passphrase could be obtained (variable unset, no terminal, empty file, or none given for an encrypted key).
        public static let passphraseUnavailable = Code("passphraseUnavailable")
        /// The private key does not belong to the certificate given with it.
        public static let keyDoesNotMatchCertificate = Code("keyDoesNotMatchCertificate")
        /// Bytes that are neither a PEM nor a DER certificate or private key (or a damaged one).
        public static let unrecognizedFormat = Code("unrecognizedFormat")
        /// Encrypting for a recipient by subject key identifier, but its certificate has none.
        public static let missingSubjectKeyIdentifier = Code("missingSubjectKeyIdentifier")
        /// The random number generator failed.
        public static let randomFailure = Code("randomFailure")
        /// OpenSSL could not allocate memory.
        public static let outOfMemory = Code("outOfMemory")
    }

    /// What went wrong.
    public let code: Code
    /// One line for the user, e.g. "cannot decrypt: this key is not a recipient (encrypted for CN=..., serial 0A01)".
    public var reason: String
    /// OpenSSL's error queue at the time of failure, oldest first (diagnostics; never secrets).
    public var openSSLErrors: [String]
    /// The file involved, when there is one.
    public var path: String?

    /// - Parameters:
    ///   - code: the error case.
    ///   - reason: one line for the user; defaults to the code's name.
    ///   - openSSLErrors: OpenSSL's error strings.
    ///   - path: the file involved.
    public init(_ code: Code, reason: String = "", openSSLErrors: [String] = [], path: String? = nil) {
        self.code = code
        self.reason = reason
        self.openSSLErrors = openSSLErrors
        self.path = path
    }

    /// One line: "`path`: `reason`".
    public var description: String {
        let text = reason.isEmpty ? code.name : reason
        return path.map { "\($0): \(text)" } ?? text
    }

    /// Errors are equal when their codes are; reason, OpenSSL errors and path do not count.
    public static func == (lhs: CMSError, rhs: CMSError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}
