import Deidentification
import FileSystem

/// `--quarantine`: inputs refused by `--clean-pixel-data` copied aside for review.
enum Quarantine {
    /// Copies `path` into `folder` atomically, mode 0600, under its own file name (`name-2.dcm`, `name-3.dcm`...
    /// when taken), and returns the error to report: the refusal and where the copy went (or why it did not).
    static func copy(_ path: String, refusal: DeidentificationError, into folder: String) -> JobError {
        let base = Paths.lastComponent(path)
        do {
            let bytes = try FileIO.readAll(path: path)
            let name = try UniqueNames.firstFree(base, limit: 1000) { (name: String) throws(SystemCallError) -> Bool in
                do throws(SystemCallError) {
                    try FileIO.writeAtomically(bytes, to: folder + "/" + name, overwrite: false, mode: 0o600,
                                               prefix: ".dicom-deid-quarantine-")
                    return true
                } catch where error.code == .exists {
                    return false
                }
            }
            guard let name else {
                return JobError(.quarantined, "\(refusal); not copied to \(folder): 1000 files of that name already")
            }
            return JobError(.quarantined, "\(refusal); input copied to \(folder + "/" + name)")
        } catch {
            return JobError(.quarantined, "\(refusal); not copied to \(folder): \(error)")
        }
    }
}
