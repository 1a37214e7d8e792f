#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with errors naming the path.
enum FileReader {
    /// The bytes of the regular file at `path`.
    static func read(_ path: String) throws(MappingStoreError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw MappingStoreError(.unreadable, reason: "not a regular file", location: path)
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path)
            }
            bytes += buffer[0..<count]
        }
    }

    private static func failure(_ path: String) -> MappingStoreError {
        MappingStoreError(.unreadable, reason: "cannot read (\(String(cString: strerror(errno))))", location: path)
    }
}
