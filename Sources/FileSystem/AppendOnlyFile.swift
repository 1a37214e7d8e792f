#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that is only ever appended to, durably: a log of lines (the audit logs). ``append(_:)`` writes at the
/// end (O_APPEND, so two writers never overwrite each other's lines), ``sync()`` makes what was appended survive a
/// crash (fsync), once per group of lines rather than per line.
///
/// A run killed in the middle of a write may leave a partial last line: opening the file again starts a new line
/// first, so the partial one stays alone, for a reader to skip, and the next line is whole.
package final class AppendOnlyFile: @unchecked Sendable {
    package let path: String
    private let fd: Int32

    /// Opens (creating it with `mode` if missing) the file at `path` for appending.
    /// - Throws: ``SystemCallError``.
    package init(path: String, mode: mode_t = 0o600) throws(SystemCallError) {
        let fd = retryingOnInterrupt { open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw SystemCallError(.failed, reason: "cannot open for appending", errno: errno, path: path) }
        self.path = path
        self.fd = fd
        do {
            if try Self.endsInsideALine(path) { try append([UInt8(ascii: "\n")]) }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// Appends `bytes` at the end of the file (not yet durable: see ``sync()``).
    /// - Throws: ``SystemCallError`` when the write fails (a full disk, say); part of `bytes` may be written.
    package func append(_ bytes: [UInt8]) throws(SystemCallError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                retryingOnInterrupt { write(fd, buffer.baseAddress! + written, buffer.count - written) }
            }
            guard n > 0 else { throw SystemCallError(.failed, reason: "cannot append", errno: n < 0 ? errno : EIO, path: path) }
            written += n
        }
    }

    /// Makes everything appended so far durable.
    /// - Throws: ``SystemCallError``.
    package func sync() throws(SystemCallError) {
        guard retryingOnInterrupt({ fsync(fd) }) == 0 else {
            throw SystemCallError(.failed, reason: "cannot flush to disk", errno: errno, path: path)
        }
    }

    /// Whether the file's last byte is not a newline (a line was cut short); false for an empty file.
    private static func endsInsideALine(_ path: String) throws(SystemCallError) -> Bool {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemCallError(.failed, reason: "cannot open for reading", errno: errno, path: path) }
        defer { close(fd) }
        var last: UInt8 = 0
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return false }
        guard retryingOnInterrupt({ pread(fd, &last, 1, size - 1) }) == 1 else {
            throw SystemCallError(.failed, reason: "cannot read the last byte", errno: errno, path: path)
        }
        return last != UInt8(ascii: "\n")
    }
}
