import FileSystem

/// `--files-from`: input paths listed in a file (or standard input), for collections too large for a command
/// line and for job scripts that hand each task its own list.
package enum FileList {
    /// How the paths of a list are separated.
    package enum Separator: Sendable {
        /// One path per line; empty lines are ignored; a trailing carriage return is part of nothing (dropped).
        case newline
        /// Paths ended by NUL bytes (`find -print0`): any byte but NUL may occur in a path.
        case nul
    }

    /// The path that names standard input.
    package static let standardInput = "-"

    /// The paths listed in `list` (`-` for standard input), in order.
    /// - Throws: ``JobError`` (one line naming the list) when it cannot be read, is not UTF-8, or lists nothing;
    ///   when a listed file does not exist (naming the file and its line or entry number).
    package static func paths(in list: String, separator: Separator) throws(JobError) -> [String] {
        let bytes: [UInt8]
        do {
            bytes = list == standardInput ? try FileIO.readStream(descriptor: 0) : try FileIO.readAll(path: list)
        } catch {
            throw JobError(.fileList, "--files-from \(list): cannot read the list: \(error)")
        }
        let end: UInt8 = separator == .nul ? 0 : UInt8(ascii: "\n")
        var paths: [String] = []
        for (index, entry) in bytes.split(separator: end, omittingEmptySubsequences: false).enumerated() {
            var entry = entry
            if separator == .newline, entry.last == UInt8(ascii: "\r") { entry = entry.dropLast() }
            if entry.isEmpty { continue }
            let what = separator == .nul ? "entry \(index + 1)" : "line \(index + 1)"
            guard let path = String(validating: entry, as: UTF8.self) else {
                throw JobError(.fileList, "--files-from \(list): \(what) is not UTF-8 text")
            }
            if separator == .newline, entry.contains(0) {
                throw JobError(.fileList, "--files-from \(list): \(what) holds a NUL byte (a NUL-separated list? use --files-from0)")
            }
            guard FileIO.kind(of: path) != nil else {
                throw JobError(.fileList, "--files-from \(list): \(what): listed file not found: \(path)")
            }
            paths.append(path)
        }
        guard !paths.isEmpty else { throw JobError(.fileList, "--files-from \(list): the list names no file") }
        return paths
    }
}
