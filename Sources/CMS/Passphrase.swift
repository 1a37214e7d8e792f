#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The passphrase of an encrypted private key or PKCS#12 bundle.
///
/// It comes from a prompt on the terminal, an environment variable, or the first line of a file; there is
/// deliberately no way to take it from a command-line argument, which other users can read in the process list.
/// The bytes live in storage that is wiped with `OPENSSL_cleanse` when the last copy of the value goes away.
/// A passphrase must not contain a NUL byte (OpenSSL reads PKCS#12 passphrases as C strings).
public struct Passphrase: Sendable {
    let secret: SecretBytes

    /// Wraps passphrase bytes (UTF-8 for text).
    public init(bytes: [UInt8]) {
        secret = SecretBytes(bytes)
    }

    /// Reads environment variable `name`.
    /// - Throws: ``CMSError`` `.passphraseUnavailable` when it is unset or empty.
    public static func fromEnvironment(_ name: String) throws -> Passphrase {
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
    public static func fromFile(_ path: String) throws -> Passphrase {
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

    /// Asks on the controlling terminal (`/dev/tty`, not standard input) with echo off.
    /// - Parameter message: the prompt, e.g. "Passphrase for recipient.key: ".
    /// - Throws: ``CMSError`` `.passphraseUnavailable` when there is no terminal or nothing was typed.
    public static func prompt(_ message: String) throws -> Passphrase {
        let terminal = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0 else {
            throw CMSError(.passphraseUnavailable, reason: "no terminal to ask for the passphrase on; "
                                                         + "use an environment variable or a file instead")
        }
        defer { close(terminal) }
        var saved = termios()
        guard tcgetattr(terminal, &saved) == 0 else {
            throw CMSError(.passphraseUnavailable, reason: "cannot turn off echo on the terminal")
        }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(terminal, TCSAFLUSH, &silent) == 0 else {
            throw CMSError(.passphraseUnavailable, reason: "cannot turn off echo on the terminal")
        }
        defer {
            var restore = saved
            _ = tcsetattr(terminal, TCSAFLUSH, &restore)
            _ = write(terminal, "\n", 1)
        }
        var text = Array(message.utf8)
        _ = text.withUnsafeBytes { write(terminal, $0.baseAddress, $0.count) }

        let capacity = 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
        defer {
            Cleanse.raw(buffer)
            buffer.deallocate()
        }
        var count = 0
        while count < capacity {
            var byte: UInt8 = 0
            let got = read(terminal, &byte, 1)
            if got < 0 && errno == EINTR { continue }
            if got <= 0 || byte == 0x0A { break }
            buffer[count] = byte
            byte = 0
            count += 1
        }
        text.removeAll()
        if count > 0 && buffer[count - 1] == 0x0D { count -= 1 }
        guard count > 0 else {
            throw CMSError(.passphraseUnavailable, reason: "no passphrase was typed")
        }
        return Passphrase(secret: SecretBytes(UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
    }

    private init(secret: SecretBytes) {
        self.secret = secret
    }
}
