import Jobs

extension IOOptions {
    /// The input files, each folder listed recursively. A symbolic link inside a folder is skipped with a line
    /// (unless quiet); a folder that cannot be read is one error line and the scan goes on (the run then ends
    /// with status 1, see ``InputScan/failedFolders``).
    /// - Throws: ``JobError`` when an input does not exist.
    package func scanInputs() throws -> InputScan {
        var scan = InputScan()
        scan.files = try InputScanner.files(inputs, skippedLink: { link in
            if !quiet { Terminal.line("skipped: \(link): symbolic link inside a folder, not followed") }
        }, unreadableFolder: { folder, error in
            Terminal.line("error: \(folder): \(error.description)")
            scan.failedFolders += 1
        })
        return scan
    }
}

/// What ``IOOptions/scanInputs()`` found.
package struct InputScan {
    /// The input files, in a stable order.
    package var files: [InputScanner.Input] = []
    /// Folders that could not be read (each reported): a failure of the run.
    package var failedFolders = 0
}

extension BatchSummary {
    /// Whether no input was a DICOM file: every one was skipped as not DICOM, or there was none. A run that
    /// had nothing to work on ends with status 1, like one whose files failed.
    package var foundNoDICOM: Bool {
        written + checked + failed + alreadyDone == 0 && skipped == skippedNotDICOM
    }
}
