internal import Hashing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The passphrase of an encrypted private key or PKCS#12 bundle.
///
/// It comes from an environment variable, the first line of a file, or bytes the application obtained (a terminal
/// prompt is the command-line tools' business: CLISupport's `PassphrasePrompt`); there is
/// deliberately no way to take it from a command-line argument, which other users can read in the process list.
/// The bytes live in storage that is wiped with `OPENSSL_cleanse` when the last copy of the value goes away.
/// A passphrase must not contain a NUL byte (OpenSSL reads PKCS#12 passphrases as C strings).
public struct Passphrase: Sendable {
    let secret: SecretBytes

    /// Wraps passphrase bytes (UTF-8 for text); they are copied into storage that is wiped when released.
    public init(bytes: some Collection<UInt8>) {
        secret = SecretBytes(bytes)
    }

    /// Reads environment variable `name`.
    /// - Throws: ``CMSError`` `.passphraseUnavailable` when it is unset or empty.
    public static func fromEnvironment(_ name: String) throws(CMSError) -> Passphrase {
        guard let value = getenv(name) else {
            throw CMSError(.passphraseUnavailable, reason: "environment variable \(name) is not set")
        }
        let count = strlen(value)
        guard count > 0 else {
            throw CMSError(.passphraseUnavailable, reason: "environment variable \(name) is empty")
        }
        return value.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            Passphrase(secret: SecretBytes(UnsafeBufferPointer(start: bytes, count: count)))
        }
    }

    /// Reads the first line of the file at `path` (the trailing `\n` or `\r\n` is not part of it).
    /// - Throws: ``CMSError`` `.unreadableFile`, or `.passphraseUnavailable` when the first line is empty.
    public static func fromFile(_ path: String) throws(CMSError) -> Passphrase {
        var bytes = try FileBytes.read(path, what: "passphrase file")
        defer { Cleanse.bytes(&bytes) }
        var line = bytes[...]
        if let newline = line.firstIndex(of: 0x0A) { line = line[..<newline] }
        if line.last == 0x0D { line = line.dropLast() }
        guard !line.isEmpty else {
            throw CMSError(.passphraseUnavailable, reason: "the passphrase file's first line is empty", path: path)
        }
        return Passphrase(secret: SecretBytes(line))
    }

    private init(secret: SecretBytes) {
        self.secret = secret
    }
}
