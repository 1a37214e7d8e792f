#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to standard error, and whether it is a terminal (progress is shown only then).
package enum Terminal {
    /// Standard error is a terminal.
    package static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes one line to standard error.
    package static func line(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Overwrites the current terminal line (progress).
    static func status(_ text: String) {
        let bytes = Array(("\r\u{1B}[2K" + text).utf8)
        bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Clears the progress line.
    static func clearStatus() {
        let bytes = Array("\r\u{1B}[2K".utf8)
        bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
