import DICOMCodec
import DICOMCore

/// The attributes of Table E.1-1 that identify the patient by name, identifier or contact: when a profile
/// keeps one of them (present, with a value), the output says Patient Identity Removed (0012,0062) NO; so does a
/// file a partial re-identification (`--only`) gave one of them back.
///
/// Patient's Name, Patient ID, Issuer of Patient ID and its Qualifiers Sequence, Other Patient IDs, Other
/// Patient Names, Other Patient IDs Sequence, Patient's Birth Name, Patient's Mother's Birth Name, Medical
/// Record Locator, Patient's Address, Patient's Telephone Numbers, Patient's Telecom Information and
/// Referenced Patient Photo Sequence. Dates, descriptions and other attributes a profile may keep on purpose
/// (and that the weakening warning counts) do not by themselves name the patient.
enum PatientIdentifyingAttributes {
    static let tags: Set<Tag> = [
        Tag(0x0010, 0x0010),    // Patient's Name
        Tag(0x0010, 0x0020),    // Patient ID
        Tag(0x0010, 0x0021),    // Issuer of Patient ID
        Tag(0x0010, 0x0024),    // Issuer of Patient ID Qualifiers Sequence
        Tag(0x0010, 0x1000),    // Other Patient IDs
        Tag(0x0010, 0x1001),    // Other Patient Names
        Tag(0x0010, 0x1002),    // Other Patient IDs Sequence
        Tag(0x0010, 0x1005),    // Patient's Birth Name
        Tag(0x0010, 0x1060),    // Patient's Mother's Birth Name
        Tag(0x0010, 0x1090),    // Medical Record Locator
        Tag(0x0010, 0x1040),    // Patient's Address
        Tag(0x0010, 0x2154),    // Patient's Telephone Numbers
        Tag(0x0010, 0x2155),    // Patient's Telecom Information
        Tag(0x0010, 0x1100),    // Referenced Patient Photo Sequence
    ]

    /// Whether `element` has a value worth calling identifying (not empty, not only padding).
    static func hasValue(_ element: DataElement) -> Bool {
        if let sequence = element.sequence { return !sequence.items.isEmpty }
        guard let bytes = element.bytes else { return true }
        return bytes.contains { $0 != 0x20 && $0 != 0 }
    }
}
