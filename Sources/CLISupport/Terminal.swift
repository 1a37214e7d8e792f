import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to standard error, and whether it is a terminal (progress is shown only then).
package enum Terminal {
    /// Set once a signal ends the run: what the workers say after that (outputs whose temporaries the handler
    /// removed, "cannot move the output into place") is noise, so only the handler's last line is written.
    /// The lock makes the switch exact: no line is half-way through being written when it flips.
    private static let silenced = Mutex(false)

    /// Standard error is a terminal.
    package static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes one line to standard error.
    package static func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` without a line end: a question whose answer is typed after it.
    package static func prompt(_ text: String) {
        write(text)
    }

    /// Overwrites the current terminal line (progress).
    static func status(_ text: String) {
        write("\r\u{1B}[2K" + text)
    }

    /// Clears the progress line.
    static func clearStatus() {
        write("\r\u{1B}[2K")
    }

    /// From now on nothing is written but ``lastLine(_:)``: the run is being interrupted.
    package static func silence() {
        silenced.withLock { $0 = true }
    }

    /// Writes `text` even when silenced: the last words of an interrupted run.
    package static func lastLine(_ text: String) {
        silenced.withLock { _ in emit(text + "\n") }
    }

    private static func write(_ text: String) {
        silenced.withLock { isSilenced in
            if !isSilenced { emit(text) }
        }
    }

    private static func emit(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
