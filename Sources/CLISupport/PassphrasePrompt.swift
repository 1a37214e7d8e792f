import CMS
import FileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks for a key's passphrase on the controlling terminal (`/dev/tty`, not standard input) with echo off.
///
/// The typed bytes are wiped from this buffer once the ``Passphrase`` holds them; the passphrase never appears on
/// the command line, in the environment of child processes, or in any message.
package enum PassphrasePrompt {
    /// - Parameter message: the prompt, e.g. "Passphrase for recipient.key: ".
    /// - Throws: ``CMSError`` `.passphraseUnavailable` when there is no terminal or nothing was typed.
    package static func ask(_ message: String) throws(CMSError) -> Passphrase {
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
        let prompt = Array(message.utf8)
        _ = prompt.withUnsafeBytes { write(terminal, $0.baseAddress, $0.count) }

        // Fixed capacity, so the typed bytes are never copied by growth; wiped before return.
        var typed = [UInt8](repeating: 0, count: 1024)
        defer { typed.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        var count = 0
        while count < typed.count {
            var byte: UInt8 = 0
            let got = retryingOnInterrupt { read(terminal, &byte, 1) }
            if got <= 0 || byte == 0x0A { break }
            typed[count] = byte
            byte = 0
            count += 1
        }
        if count > 0 && typed[count - 1] == 0x0D { count -= 1 }
        guard count > 0 else {
            throw CMSError(.passphraseUnavailable, reason: "no passphrase was typed")
        }
        return Passphrase(bytes: typed[0..<count])
    }
}
