#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file only ever added to at its end, durably: a log of lines (the audit logs). ``append(_:)`` writes at the end
/// (O_APPEND: each write lands after whatever is there, also when several processes append; a line of up to a pipe
/// buffer is one write(2), so concurrent writers do not interleave inside it). ``sync()`` makes what was appended
/// survive a crash (fsync), once per group of lines rather than per line.
///
/// A run killed in the middle of a write may leave a partial last line: opening the file again starts a new line
/// first, so the partial one stays alone, for a reader to skip, and the next line is whole.
package final class AppendOnlyFile: @unchecked Sendable {
    // @unchecked: `fd` never changes after init; the kernel orders concurrent appends.
    private let fd: Int32
    /// Where the file is.
    package let path: String

    /// Opens `path` for appending, creating it with `mode` (before the umask) when it does not exist.
    /// - Throws: ``SystemCallError`` naming the file.
    package init(path: String, mode: mode_t = 0o600) throws(SystemCallError) {
        let fd = retryingOnInterrupt { path.withCString { SystemCalls.current.open($0, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode) } }
        guard fd >= 0 else { throw SystemCallError(reason: "cannot open for appending", errno: errno, path: path) }
        self.fd = fd
        self.path = path
        do {
            if try Self.endsInsideALine(path) { try append([UInt8(ascii: "\n")]) }
        } catch {
            close(fd)
            throw error
        }
    }

    /// Appends `bytes` (all of them: a short write is continued, an interrupted one retried).
    /// - Throws: ``SystemCallError`` naming the file (a full disk, a quota); part of `bytes` may be written.
    package func append(_ bytes: [UInt8]) throws(SystemCallError) {
        let write = SystemCalls.current.write
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = retryingOnInterrupt { write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written) }
                if n <= 0 {
                    failure = n < 0 ? errno : EIO
                    return
                }
                written += n
            }
        }
        if failure != 0 { throw SystemCallError(reason: "cannot append", errno: failure, path: path) }
    }

    /// Flushes what was appended to disk (fsync).
    /// - Throws: ``SystemCallError`` naming the file.
    package func sync() throws(SystemCallError) {
        guard retryingOnInterrupt({ SystemCalls.current.fsync(fd) }) == 0 else {
            throw SystemCallError(reason: "cannot flush to disk", errno: errno, path: path)
        }
    }

    deinit { close(fd) }

    /// Whether the file's last byte is not a newline (a line was cut short); false for an empty file.
    private static func endsInsideALine(_ path: String) throws(SystemCallError) -> Bool {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemCallError(reason: "cannot open for reading", errno: errno, path: path) }
        defer { close(fd) }
        var last: UInt8 = 0
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return false }
        guard retryingOnInterrupt({ pread(fd, &last, 1, size - 1) }) == 1 else {
            throw SystemCallError(reason: "cannot read the last byte", errno: errno, path: path)
        }
        return last != UInt8(ascii: "\n")
    }
}
