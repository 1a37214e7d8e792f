import DICOMCodec
import Diagnostics

extension ImplementationIdentity {
    /// dicom-deid's own: the Implementation Class UID is UUID-derived (PS3.5 B.2); the version name follows the
    /// De-identification Method text's version.
    public static let dicomDeid = ImplementationIdentity(classUID: "2.25.161502791853232389011218395394383127405",
                                                          versionName: Toolkit.implementationVersionName)
}
