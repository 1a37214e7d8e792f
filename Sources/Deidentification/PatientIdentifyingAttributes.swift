import DICOMCore
import DICOMDictionary

/// The attributes of Table E.1-1 that name or identify the patient: while any of them holds its original value,
/// Patient Identity Removed (0012,0062) cannot say YES.
public enum PatientIdentifyingAttributes {
    public static let tags: Set<Tag> = [
        .patientName, .patientID, .otherPatientIDs, .otherPatientNames, .otherPatientIDsSequence,
        .patientBirthName, .patientMotherBirthName, .medicalRecordLocator,
    ]
}
