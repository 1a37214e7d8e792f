import CPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a directory entry is.
package enum FileKind: Sendable {
    case regularFile, directory, symbolicLink, other
}

extension FileIO {
    /// What `path` names, or nil when nothing is there (or it cannot be looked at).
    /// - Parameter followingLinks: describe what a symbolic link points to (stat) rather than the link (lstat).
    package static func kind(of path: String, followingLinks: Bool = true) -> FileKind? {
        guard let mode = statMode(path, followingLinks: followingLinks) else { return nil }
        switch mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Whether `path` is a folder (or a link to one).
    package static func isDirectory(_ path: String) -> Bool { kind(of: path) == .directory }

    /// The permission bits of what `path` names (links followed).
    /// - Throws: ``SystemCallError`` when it cannot be looked at.
    package static func permissions(of path: String) throws(SystemCallError) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemCallError(reason: "cannot stat", errno: errno, path: path) }
        return info.st_mode & 0o7777
    }

    private static func statMode(_ path: String, followingLinks: Bool) -> mode_t? {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 ? info.st_mode : nil
    }
}
