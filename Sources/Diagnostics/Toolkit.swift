/// The toolkit's identity, the one place its version is spelled: `--version` of every tool, De-identification
/// Method (0012,0063), Implementation Version Name (0002,0013) and the review reports all derive from it.
public enum Toolkit {
    /// Semantic version of the release.
    public static let version = "0.1.0"

    /// `dicom-deid 0.1.0`: the tool named in De-identification Method (0012,0063).
    public static let methodName = "dicom-deid \(version)"

    /// `DICOM_DEID_0.1`: Implementation Version Name (0002,0013), major and minor only (SH, at most 16 characters).
    public static let implementationVersionName = "DICOM_DEID_" + version.split(separator: ".").prefix(2).joined(separator: ".")
}
