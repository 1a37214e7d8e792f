import Jobs

extension IOOptions {
    /// The input files, each folder listed recursively. A symbolic link inside a folder is skipped with a line
    /// (unless quiet); a folder that cannot be read is one error line and the scan goes on (the run then ends
    /// with status 1, see ``InputScan/failedFolders``).
    /// - Throws: ``JobError`` when an input does not exist.
    /// - Parameter given: the inputs, when read already (``allInputs()``: a list on standard input is read once).
    package func scanInputs(_ given: [String]? = nil) throws -> InputScan {
        var scan = InputScan()
        scan.files = try InputScanner.files(try given ?? allInputs(), skippedLink: { link in
            if !quiet { Terminal.line("skipped: \(link): symbolic link inside a folder, not followed") }
        }, unreadableFolder: { folder, error in
            Terminal.line("error: \(folder): \(error.description)")
            scan.failedFolders += 1
        })
        return scan
    }
}

extension IOOptions {
    /// The inputs named on the command line, then those of the `--files-from` (or `--files-from0`) list.
    /// - Throws: ``JobError`` when the list cannot be read or names a file that is not there.
    package func allInputs() throws -> [String] {
        if let list = filesFrom { return inputs + (try FileList.paths(in: list, separator: .newline)) }
        if let list = filesFrom0 { return inputs + (try FileList.paths(in: list, separator: .nul)) }
        return inputs
    }
}

/// What ``IOOptions/scanInputs()`` found.
package struct InputScan {
    /// The input files, in a stable order.
    package var files: [InputScanner.Input] = []
    /// Folders that could not be read (each reported): a failure of the run.
    package var failedFolders = 0

    package init() {}
}

extension BatchSummary {
    /// Whether no input was a DICOM file: every one was skipped as not DICOM, or there was none. A run that
    /// had nothing to work on ends with status 1, like one whose files failed.
    package var foundNoDICOM: Bool {
        written + checked + failed + alreadyDone == 0 && skipped == skippedNotDICOM
    }
}
