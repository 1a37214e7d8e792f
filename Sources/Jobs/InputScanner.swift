import FileSystem

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
        var folderNames = UniqueNames()
        for input in inputs {
            guard let kind = FileIO.kind(of: input) else {
                throw JobError(.inputNotFound, "input not found: \(input)")
            }
            guard kind == .directory else {
                result.append(Input(path: input, relativePath: Paths.lastComponent(input), isNamed: true))
                continue
            }
            // A folder given as a symbolic link is followed (the walker does not follow links inside).
            let root = Paths.resolved(input)
            let walk = DirectoryWalker(root: root)
            for link in walk.links { skippedLink(root + "/" + link) }
            for (folder, error) in walk.unreadable {
                unreadableFolder(folder, JobError(.unreadableFolder, error.description))
            }
            let base = inputs.count > 1 ? folderNames.claim(folderName(input, resolved: root), beforeExtension: false) + "/" : ""
            let given = input.hasSuffix("/") ? String(input.dropLast()) : input
            for relative in walk.files {
                result.append(Input(path: root + "/" + relative, relativePath: base + relative,
                                    givenPath: given + "/" + relative))
            }
        }
        return result
    }

    /// The name a folder input is mirrored under: its last path component as given (the link's name for a
    /// link), else the resolved folder's (`.`, `/`); the caller makes it unique among the folder inputs.
    private static func folderName(_ input: String, resolved: String) -> String {
        var name = Paths.lastComponent(Paths.standardized(input))
        if name.isEmpty || name == "/" || name == "." || name == ".." { name = Paths.lastComponent(resolved) }
        if name.isEmpty || name == "/" { name = "root" }
        return name
    }
}
