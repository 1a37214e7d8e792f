import CPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's size and modification time: what tells that a file changed since it was last looked at
/// (a scale-out plan records it for every input, and each part checks it before reading the file).
package struct FileStamp: Hashable, Sendable {
    package let size: Int64
    /// Modification time, nanoseconds since the epoch.
    package let modified: Int64

    package init(size: Int64, modified: Int64) {
        self.size = size
        self.modified = modified
    }
}

extension FileIO {
    /// The size and modification time of what `path` names (links followed), or nil when it cannot be looked at.
    package static func stamp(of path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(info)
    }
}

extension FileStamp {
    /// The stamp of what `stat` or `fstat` said.
    init(_ info: stat) {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        self.init(size: Int64(info.st_size), modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }
}
