import FileSystem

/// Reads a profile, script or disposition file as UTF-8 text; a failure names the file and chains the reason.
enum ProfileText {
    /// Profile files are small; anything larger is a wrong path.
    static let limit = 64 << 20

    /// - Parameter what: what the file is, for the message (`profile`, `CTP script`, `private dispositions`).
    /// - Throws: ``ProfileFileError`` `.unreadable`, caused by the ``SystemCallError`` when the file cannot be read.
    static func read(_ path: String, what: String) throws(ProfileFileError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path: path, limit: limit)
        } catch {
            throw ProfileFileError(.unreadable, file: path, line: nil, "cannot read \(what)", cause: error)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ProfileFileError(.unreadable, file: path, line: nil, "cannot read \(what): not UTF-8 text")
        }
        return text
    }
}
