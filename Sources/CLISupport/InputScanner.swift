import Foundation

/// Expands the command's inputs — files and folders, recursively — into a sorted list of regular files.
public enum InputScanner {
    /// An input file and its path relative to the folder it was found in (its name, for a file given directly).
    public struct Input: Sendable {
        public let path: String
        public let relativePath: String
    }

    /// The files under `inputs`, in a stable order (inputs in the order given, folders sorted by path).
    /// Hidden files (names starting with `.`) inside folders are skipped, as are symbolic links to folders
    /// inside them (a folder given as an input may itself be a symbolic link).
    /// - Throws: ``CLIError`` when an input does not exist.
    public static func files(_ inputs: [String]) throws -> [Input] {
        var result: [Input] = []
        let manager = FileManager.default
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw CLIError("input not found: \(input)")
            }
            guard isDirectory.boolValue else {
                result.append(Input(path: input, relativePath: (input as NSString).lastPathComponent))
                continue
            }
            // A folder given as a symbolic link is followed (the enumerator would not descend into the link).
            let rootURL = URL(fileURLWithPath: input).resolvingSymlinksInPath()
            let root = rootURL.standardizedFileURL.path
            var found: [String] = []
            guard let enumerator = manager.enumerator(at: rootURL,
                                                      includingPropertiesForKeys: [.isRegularFileKey],
                                                      options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in enumerator {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    found.append(url.path)
                }
            }
            for path in found.sorted() {
                let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
                let relative = standardized.hasPrefix(root + "/") ? String(standardized.dropFirst(root.count + 1))
                                                                   : (path as NSString).lastPathComponent
                result.append(Input(path: path, relativePath: relative))
            }
        }
        return result
    }
}

/// A user-facing error: one line, exit status 2 when it concerns how the command was called.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
