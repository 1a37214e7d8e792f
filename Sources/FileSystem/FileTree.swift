#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileIO {
    /// Whether `path` is a regular file (links followed) this process may execute.
    package static func isExecutable(_ path: String) -> Bool {
        kind(of: path) == .regularFile && access(path, X_OK) == 0
    }

    /// Makes a new, empty folder (mode 0700) named `prefix-` and six random characters in the system's
    /// temporary folder (`$TMPDIR`, else `/tmp`), and returns its path.
    /// - Throws: ``SystemCallError``.
    package static func makeTemporaryDirectory(prefix: String) throws(SystemCallError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base.hasSuffix("/") ? String(base.dropLast()) : base)/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkdtemp($0) != nil } ?? false }
        guard made else { throw SystemCallError(reason: "cannot create a temporary folder", errno: errno, path: base) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes `path` and, for a folder, everything below it (hidden entries too). Links are removed, never
    /// followed. Goes on past what cannot be removed; returns whether everything went.
    @discardableResult
    package static func removeTree(_ path: String) -> Bool {
        guard kind(of: path, followingLinks: false) == .directory else { return unlink(path) == 0 }
        var removedAll = true
        if let stream = opendir(path) {
            var names: [String] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != ".", name != ".." { names.append(name) }
            }
            closedir(stream)
            for name in names where !removeTree(path + "/" + name) { removedAll = false }
        }
        return rmdir(path) == 0 && removedAll
    }
}
