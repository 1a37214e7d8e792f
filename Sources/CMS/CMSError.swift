// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// The one error type of the CMS module: what went wrong (``code``), in words a user can act on (``reason``).
///
/// Equality and hashing use ``code`` only, so tests and callers can write
/// `#expect(throws: CMSError(.notARecipient)) { ... }` or `catch let error as CMSError where error.code == .notARecipient`.
/// No error ever carries key material, plaintext or a passphrase; ``openSSLErrors`` holds OpenSSL's own reason strings.
public struct CMSError: StructuredError {
    /// A distinct, stable error case. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<CMSError>

    /// The file involved and OpenSSL's error queue.
    public struct Context: Sendable {
        let openSSLErrors: [String]
        let path: String?
    }

    public let storage: ErrorStorage<CMSError>
    public init(storage: ErrorStorage<CMSError>) { self.storage = storage }

    /// - Parameters:
    ///   - code: the error case.
    ///   - reason: one line for the user; defaults to the code in words.
    ///   - openSSLErrors: OpenSSL's error strings.
    ///   - path: the file involved.
    ///   - cause: the underlying error, if any.
    public init(_ code: Code, reason: String = "", openSSLErrors: [String] = [], path: String? = nil,
                cause: (any Error)? = nil, fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(openSSLErrors: openSSLErrors, path: path), reason: reason, cause: cause,
                     fileID: fileID, line: line)
    }

    /// OpenSSL's error queue at the time of failure, oldest first (diagnostics; never secrets).
    public var openSSLErrors: [String] { context.openSSLErrors }
    /// The file involved, when there is one.
    public var path: String? { context.path }

    /// One line: "`path`: `reason`".
    public var description: String {
        let text = reasonWithCause
        return path.map { "\($0): \(text)" } ?? text
    }
}

extension ErrorCode<CMSError> {
    /// The private key opens none of the envelope's RecipientInfos, or the given certificate is not one of them.
    public static var notARecipient: Self { Self("notARecipient", words: "not a recipient of the envelope") }
    /// The private key is encrypted and the passphrase does not open it.
    public static var wrongPassphrase: Self { Self("wrongPassphrase", words: "wrong passphrase") }
    /// The input is not a well-formed DER ContentInfo holding EnvelopedData (corrupt, truncated, other type).
    public static var malformedEnvelope: Self { Self("malformedEnvelope", words: "malformed CMS envelope") }
    /// A content cipher, key-transport or key-encryption algorithm this module does not handle.
    public static var unsupportedAlgorithm: Self { Self("unsupportedAlgorithm", words: "unsupported algorithm") }
    /// A certificate or private key whose key is not RSA (e.g. EC).
    public static var notRSA: Self { Self("notRSA", words: "not an RSA key") }
    /// An RSA key shorter than 2048 bits, refused unless explicitly allowed.
    public static var weakKey: Self { Self("weakKey", words: "RSA key too short") }
    /// The certificate has a keyUsage extension without keyEncipherment (RFC 5280 4.2.1.3).
    public static var keyUsageForbidsEncipherment: Self { Self("keyUsageForbidsEncipherment", words: "certificate key usage forbids key encipherment") }
    /// A file could not be opened or read.
    public static var unreadableFile: Self { Self("unreadableFile", words: "unreadable file") }
    /// A certificate was given where a private key was expected.
    public static var expectedKeyGotCertificate: Self { Self("expectedKeyGotCertificate", words: "a certificate where a private key was expected") }
    /// A private key was given where a certificate was expected.
    public static var expectedCertificateGotKey: Self { Self("expectedCertificateGotKey", words: "a private key where a certificate was expected") }
    /// The content could not be decrypted although the recipient matched (damaged ciphertext, IV or encrypted key).
    public static var decryptionFailed: Self { Self("decryptionFailed", words: "decryption failed") }
    /// OpenSSL refused to build the envelope.
    public static var encryptionFailed: Self { Self("encryptionFailed", words: "encryption failed") }
    /// No passphrase could be obtained (variable unset, no terminal, empty file, or none given for an encrypted key).
    public static var passphraseUnavailable: Self { Self("passphraseUnavailable", words: "no passphrase available") }
    /// The private key does not belong to the certificate given with it.
    public static var keyDoesNotMatchCertificate: Self { Self("keyDoesNotMatchCertificate", words: "private key does not match the certificate") }
    /// Bytes that are neither a PEM nor a DER certificate or private key (or a damaged one).
    public static var unrecognizedFormat: Self { Self("unrecognizedFormat", words: "unrecognized certificate or key format") }
    /// Encrypting for a recipient by subject key identifier, but its certificate has none.
    public static var missingSubjectKeyIdentifier: Self { Self("missingSubjectKeyIdentifier", words: "certificate has no subject key identifier") }
    /// The random number generator failed.
    public static var randomFailure: Self { Self("randomFailure", words: "random number generator failed") }
    /// OpenSSL could not allocate memory.
    public static var outOfMemory: Self { Self("outOfMemory", words: "out of memory") }
}
