#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the regular files below a folder, recursively, with readdir: no per-file metadata objects, which
/// matters at hundreds of thousands of files.
///
/// Hidden entries (names starting with `.`) are skipped. Symbolic links inside are not followed, so a link loop
/// cannot trap the walk; they are listed apart. A folder that cannot be read is listed with its error and the
/// walk goes on.
package struct DirectoryWalker {
    /// The regular files, by path relative to the root, sorted.
    package private(set) var files: [String] = []
    /// The symbolic links met (not followed), by path relative to the root, sorted.
    package private(set) var links: [String] = []
    /// The folders that could not be read (their full path) and why, sorted by path.
    package private(set) var unreadable: [(folder: String, error: SystemCallError)] = []

    /// Walks the folder `root` (a link given as the root is followed by the caller resolving it first).
    package init(root: String) {
        walk(root, relative: "")
        files.sort()
        links.sort()
        unreadable.sort { $0.folder < $1.folder }
    }

    private mutating func walk(_ directory: String, relative: String) {
        guard let stream = directory.withCString({ SystemCalls.current.opendir($0) }) else {
            unreadable.append((directory, SystemCallError(reason: "cannot read folder", errno: errno, path: directory)))
            return
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let path = directory + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                // File systems that do not report the type in the entry: ask without following links.
                guard let kind = FileIO.kind(of: path, followingLinks: false) else { continue }
                switch kind {
                case .regularFile: type = Int32(DT_REG)
                case .directory: type = Int32(DT_DIR)
                case .symbolicLink: type = Int32(DT_LNK)
                case .other: continue
                }
            }
            if type == Int32(DT_REG) {
                files.append(relativePath)
            } else if type == Int32(DT_DIR) {
                walk(path, relative: relativePath)
            } else if type == Int32(DT_LNK) {
                links.append(relativePath)
            }
        }
    }
}
