import DICOMCore

/// Output file names: built from UIDs, which come from the files and so cannot be trusted as path parts.
package enum OutputNaming {
    /// How temporary outputs are named: this prefix, the writing process's ID, `-`, six random characters. The
    /// leading dot hides them from folder scans; a later run removes those of processes that are gone.
    package static let temporaryPrefix = ".dicom-deid-tmp-"

    /// The UIDs an output is named by; nil where the file has none.
    package struct UIDPath: Hashable, Sendable {
        package var study: String?
        package var series: String?
        package var instance: String?

        package init(study: String?, series: String?, instance: String?) {
            self.study = study
            self.series = series
            self.instance = instance
        }
    }

    private static let missing = (study: "no-study", series: "no-series", instance: "no-instance")
    private static let invalid = "invalid-uid"
    private static let fileExtension = ".dcm"

    /// `<study>/<series>/<instance>.dcm`. A UID that is not 1-64 digits and dots (PS3.5 9.1) — one holding
    /// `/`, `..` or a NUL, say — becomes `invalid-uid`, so no file can name a path outside the output folder.
    package static func uidPath(study: String?, series: String?, instance: String?) -> String {
        "\(component(study, missing: missing.study))/\(component(series, missing: missing.series))/"
            + "\(component(instance, missing: missing.instance))" + fileExtension
    }

    /// ``uidPath(study:series:instance:)`` of `uids`.
    package static func name(_ uids: UIDPath) -> String {
        uidPath(study: uids.study, series: uids.series, instance: uids.instance)
    }

    /// The UIDs a name made by ``name(_:)`` gives, read from the last three components of `path` (an output
    /// anywhere, under any folder): `parse(name(x)) == x` for UIDs that are UID-shaped or absent. Nil for a
    /// path that is not such a name (a `--keep-layout` output) or that names an invalid UID (not recoverable).
    package static func parse(_ path: String) -> UIDPath? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).suffix(3)
        guard parts.count == 3, let file = parts.last, file.hasSuffix(fileExtension) else { return nil }
        let texts = [parts[parts.startIndex], parts[parts.startIndex + 1], file.dropLast(fileExtension.count)]
        var uids: [String?] = []
        for (text, absent) in zip(texts, [missing.study, missing.series, missing.instance]) {
            if text == absent {
                uids.append(nil)
            } else if isUIDShaped(String(text)), text != ".", text != ".." {
                uids.append(String(text))
            } else {
                return nil
            }
        }
        return UIDPath(study: uids[0], series: uids[1], instance: uids[2])
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
