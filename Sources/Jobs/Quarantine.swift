import Deidentification
import FileSystem

/// `--quarantine`: inputs refused by `--clean-pixel-data` copied aside for review.
enum Quarantine {
    /// Copies `path` into `folder` atomically, mode 0600, under its own file name (`name-2.dcm`, `name-3.dcm`...
    /// when taken), and returns the error to report: the refusal and where the copy went (or why it did not).
    static func copy(_ path: String, refusal: DeidentificationError, into folder: String) -> JobError {
        let base = path.split(separator: "/").last.map(String.init) ?? "input"
        let stem = base.lastIndex(of: ".").map { String(base[..<$0]) } ?? base
        let suffix = base.lastIndex(of: ".").map { String(base[$0...]) } ?? ""
        do {
            let bytes = try FileIO.readAll(path: path)
            for attempt in 1...1000 {
                let name = attempt == 1 ? base : "\(stem)-\(attempt)\(suffix)"
                let target = folder + "/" + name
                do {
                    try FileIO.writeAtomically(bytes, to: target, overwrite: false, mode: 0o600, prefix: ".dicom-deid-quarantine-")
                    return JobError(.quarantined, "\(refusal); input copied to \(target)")
                } catch where error.code == .exists {
                    continue
                }
            }
            return JobError(.quarantined, "\(refusal); not copied to \(folder): 1000 files of that name already")
        } catch {
            return JobError(.quarantined, "\(refusal); not copied to \(folder): \(error)")
        }
    }
}
