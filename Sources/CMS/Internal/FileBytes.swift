import FileSystem

/// Reads key, certificate and passphrase files into one Swift array of their exact size, which the caller can
/// cleanse (Foundation's `Data` may copy); a failure names the path and chains the system's error.
enum FileBytes {
    /// Key and certificate files are small; anything larger is a wrong path, not a key.
    static let limit = 16 << 20

    /// - Throws: ``CMSError`` `.unreadableFile` naming `path`, caused by the ``SystemCallError``.
    static func read(_ path: String, what: String) throws(CMSError) -> [UInt8] {
        do {
            return try FileIO.readAll(path: path, limit: limit)
        } catch {
            throw CMSError(.unreadableFile, reason: "cannot read \(what)", path: path, cause: error)
        }
    }
}
