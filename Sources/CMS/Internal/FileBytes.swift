#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads key, certificate and passphrase files with POSIX calls, so the bytes land in one Swift array the caller can
/// cleanse (Foundation's `Data` may copy) and a failure carries `strerror` text.
enum FileBytes {
    /// Key and certificate files are small; anything larger is a wrong path, not a key.
    static let limit = 16 << 20

    /// - Throws: ``CMSError`` `.unreadableFile` naming `path`.
    static func read(_ path: String, what: String) throws(CMSError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable(path, what, errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable(path, what, errno) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw CMSError(.unreadableFile, reason: "cannot read \(what): not a regular file", path: path)
        }
        guard Int(status.st_size) <= limit else {
            throw CMSError(.unreadableFile, reason: "cannot read \(what): \(status.st_size) bytes is too large", path: path)
        }
        var bytes: [UInt8] = []
        // Reserve up front so growth does not leave stray copies of key bytes in freed memory.
        bytes.reserveCapacity(Int(status.st_size) + 4096)
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { Cleanse.bytes(&chunk) }
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                Cleanse.bytes(&bytes)
                throw unreadable(path, what, code)
            }
            if count == 0 { break }
            guard bytes.count + count <= limit else {
                Cleanse.bytes(&bytes)
                throw CMSError(.unreadableFile, reason: "cannot read \(what): file is too large", path: path)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    private static func unreadable(_ path: String, _ what: String, _ code: Int32) -> CMSError {
        CMSError(.unreadableFile, reason: "cannot read \(what): \(String(cString: strerror(code)))", path: path)
    }
}
