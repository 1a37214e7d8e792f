#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file only ever added to at its end (O_APPEND: each write lands after whatever is there, also when
/// several processes append), created with `mode` when missing. A line written with one ``append(_:)`` is
/// one write(2) call for lines of up to a pipe buffer, so concurrent writers do not interleave inside it.
package final class AppendOnlyFile: @unchecked Sendable {
    // @unchecked: `fd` never changes after init; the kernel orders concurrent appends.
    private let fd: Int32
    /// Where the file is.
    package let path: String

    /// Opens `path` for appending, creating it with `mode` (before the umask) when it does not exist.
    /// - Throws: ``SystemCallError`` naming the file.
    package init(path: String, mode: mode_t = 0o600) throws(SystemCallError) {
        let fd = path.withCString { SystemCalls.current.open($0, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw SystemCallError(reason: "cannot open for appending", errno: errno, path: path) }
        self.fd = fd
        self.path = path
    }

    /// Appends `bytes` (all of them: a short write is continued, an interrupted one retried).
    /// - Throws: ``SystemCallError`` naming the file (a full disk, a quota).
    package func append(_ bytes: [UInt8]) throws(SystemCallError) {
        let write = SystemCalls.current.write
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = retryingOnInterrupt { write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written) }
                if n < 0 {
                    failure = errno
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
        guard SystemCalls.current.fsync(fd) == 0 else {
            throw SystemCallError(reason: "cannot flush to disk", errno: errno, path: path)
        }
    }

    deinit { close(fd) }
}
