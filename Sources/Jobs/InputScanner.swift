import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Expands the command's inputs — files and folders, recursively — into a sorted list of regular files.
package enum InputScanner {
    /// An input file and its path relative to the folder it was found in (its name, for a file given directly).
    package struct Input: BatchInput {
        /// The file's path, its folder resolved (the folder given may be a link or relative).
        package let path: String
        package let relativePath: String
        /// The path as the user would write it: the folder as given, then the path inside it (the path given, for
        /// a file named directly). What reports that list files by the user's names show (the inventory).
        package let givenPath: String
        /// Named on the command line, not found in a folder: skipping it is a failure of the run.
        package var isNamed = false

        package init(path: String, relativePath: String, givenPath: String? = nil, isNamed: Bool = false) {
            self.path = path
            self.relativePath = relativePath
            self.givenPath = givenPath ?? path
            self.isNamed = isNamed
        }
    }

    /// The files under `inputs`, in a stable order (inputs in the order given, folders sorted by path).
    /// A file's relative path (what `--keep-layout` mirrors) is its path inside the folder given; with more than
    /// one input, each folder's files are under the folder's own name (`-2`, `-3`... when two folders share a
    /// name), so two folders are not flattened into one tree. A file named directly is its own name.
    /// Hidden files (names starting with `.`) inside folders are skipped, and symbolic links inside them are
    /// not followed (each is reported to `skippedLink`); a folder given as an input may itself be a link.
    /// A folder that cannot be read (no permission, an I/O error) is a failure of that folder, not of the scan:
    /// it is reported to `unreadableFolder` and the rest is listed.
    /// - Parameters:
    ///   - skippedLink: told each symbolic link inside a folder that is not followed.
    ///   - unreadableFolder: told each folder that cannot be read, with the error (`cannot read folder: …`).
    /// - Throws: ``JobError`` when an input does not exist.
    package static func files(_ inputs: [String], skippedLink: (String) -> Void = { _ in },
                              unreadableFolder: (String, JobError) -> Void) throws(JobError) -> [Input] {
        var result: [Input] = []
        let manager = FileManager.default
        var folderNames = Set<String>()
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw JobError(.inputNotFound, "input not found: \(input)")
            }
            guard isDirectory.boolValue else {
                result.append(Input(path: input, relativePath: (input as NSString).lastPathComponent, isNamed: true))
                continue
            }
            // A folder given as a symbolic link is followed (the enumerator would not descend into the link).
            let rootURL = URL(fileURLWithPath: input).resolvingSymlinksInPath()
            let root = rootURL.standardizedFileURL.path
            var found: [String] = []
            var links: [String] = []
            var unreadable: [(String, JobError)] = []
            listFiles(root, relative: "", into: &found, links: &links, unreadable: &unreadable)
            for link in links.sorted() { skippedLink(root + "/" + link) }
            for (folder, error) in unreadable.sorted(by: { $0.0 < $1.0 }) { unreadableFolder(folder, error) }
            let base = inputs.count > 1 ? uniqueFolderName(input, resolved: rootURL, taken: &folderNames) + "/" : ""
            let given = input.hasSuffix("/") ? String(input.dropLast()) : input
            for relative in found.sorted() {
                result.append(Input(path: root + "/" + relative, relativePath: base + relative,
                                    givenPath: given + "/" + relative))
            }
        }
        return result
    }

    /// The name a folder input is mirrored under: its last path component as given (the link's name for a
    /// link), else the resolved folder's (`.`, `/`), made unique among the folder inputs with `-2`, `-3`...
    private static func uniqueFolderName(_ input: String, resolved: URL, taken: inout Set<String>) -> String {
        var name = URL(fileURLWithPath: input).standardizedFileURL.lastPathComponent
        if name.isEmpty || name == "/" || name == "." || name == ".." { name = resolved.standardizedFileURL.lastPathComponent }
        if name.isEmpty || name == "/" { name = "root" }
        var candidate = name
        var suffix = 2
        while taken.contains(candidate) {
            candidate = "\(name)-\(suffix)"
            suffix += 1
        }
        taken.insert(candidate)
        return candidate
    }

    /// Appends the relative paths of the regular files below `directory` (readdir: no per-file metadata
    /// objects, which matters at hundreds of thousands of files). Hidden entries are skipped; symbolic links
    /// inside are not followed, so a link loop cannot trap the scan.
    /// Folders that cannot be opened go to `unreadable`, and the listing goes on.
    private static func listFiles(_ directory: String, relative: String, into found: inout [String],
                                  links: inout [String], unreadable: inout [(String, JobError)]) {
        guard let handle = opendir(directory) else {
            unreadable.append((directory, JobError(.unreadableFolder, "cannot read folder: \(String(cString: strerror(errno)))")))
            return
        }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let path = directory + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) {
                // File systems that do not report the type in the entry: ask without following links.
                guard let kind = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType else { continue }
                type = kind == .typeRegular ? Int32(DT_REG)
                    : kind == .typeDirectory ? Int32(DT_DIR) : kind == .typeSymbolicLink ? Int32(DT_LNK) : Int32(DT_UNKNOWN)
            }
            if type == Int32(DT_REG) {
                found.append(relativePath)
            } else if type == Int32(DT_DIR) {
                listFiles(path, relative: relativePath, into: &found, links: &links, unreadable: &unreadable)
            } else if type == Int32(DT_LNK) {
                links.append(relativePath)
            }
        }
    }
}
