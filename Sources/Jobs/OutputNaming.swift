import DICOMCore

/// Output file names: built from UIDs, which come from the files and so cannot be trusted as path parts.
package enum OutputNaming {
    /// How temporary outputs are named: this prefix, the writing process's ID, `-`, six random characters. The
    /// leading dot hides them from folder scans; a later run removes those of processes that are gone.
    package static let temporaryPrefix = ".dicom-deid-tmp-"

    /// `<study>/<series>/<instance>.dcm`. A UID that is not 1-64 digits and dots (PS3.5 9.1) — one holding
    /// `/`, `..` or a NUL, say — becomes `invalid-uid`, so no file can name a path outside the output folder.
    package static func uidPath(study: String?, series: String?, instance: String?) -> String {
        "\(component(study, missing: "no-study"))/\(component(series, missing: "no-series"))/"
            + "\(component(instance, missing: "no-instance")).dcm"
    }

    /// Whether `path` stays inside the folder it is relative to: not absolute, no empty, `.` or `..`
    /// component, no NUL.
    package static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.utf8.contains(0) else { return false }
        // Each "/"-separated part, byte by byte (checked for every output): not empty, not "." nor "..".
        var partLength = 0
        var partIsDots = true
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if partLength == 0 || (partIsDots && partLength <= 2) { return false }
                partLength = 0
                partIsDots = true
            } else {
                partLength += 1
                if byte != UInt8(ascii: ".") { partIsDots = false }
            }
        }
        return !(partLength == 0 || (partIsDots && partLength <= 2))
    }

    private static func component(_ uid: String?, missing: String) -> String {
        guard let uid, !uid.isEmpty else { return missing }
        return isUIDShaped(uid) && uid != "." && uid != ".." ? uid : "invalid-uid"
    }
}
