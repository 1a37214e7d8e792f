import DICOMCodec
import DICOMCore
import DICOMDictionary

extension Deidentifier {
    /// PS3.15 E.1.1 step 6 and the option codes: Patient Identity Removed, De-identification Method and
    /// its Code Sequence, Longitudinal Temporal Information Modified, and Clinical Trial attributes from the
    /// lookup table.
    ///
    /// The built-in profile claims the Basic Profile and its options in the Code Sequence (CID 7050). A
    /// profile from a file or script claims nothing it cannot vouch for: De-identification Method names the
    /// profile, the Code Sequence is left out (PS3.3 C.7.1.1: either one suffices), and so is Longitudinal
    /// Temporal Information Modified. Patient Identity Removed is YES here; the plan turns it to NO for a file
    /// where the profile kept an attribute that identifies the patient (``PatientIdentifyingAttributes``), and
    /// drops the CID 7050 codes a script writes itself when the profile keeps what the Basic Profile would not
    /// (``BasicProfileComparison``).
    static func identityRemovedAttributes(_ settings: DeidentificationSettings, profile: Profile,
                                          lookup: PatientLookupTable.Entry?) -> [DataElement] {
        if case .custom(let name) = profile.claim {
            var elements = [
                DataElement(tag: .patientIdentityRemoved, vr: .CS, string: "YES"),
                DataElement(tag: .deidentificationMethod, vr: .LO,
                            string: [settings.toolName, name].map { String($0.prefix(64)) }.joined(separator: "\\")),
            ]
            for (tag, value) in (lookup?.clinicalTrial ?? [:]).sorted(by: { $0.key < $1.key }) {
                elements.append(DataElement(tag: Tag(tag), vr: .LO, string: String(value.prefix(64))))
            }
            return elements
        }
        let options = profile.options.sorted()
        var method = [settings.toolName, ProfileOption.basicProfileCodeMeaning] + options.map(\.codeMeaning)
        method = method.map { String($0.prefix(64)) }
        let codes = [DeidentificationMethodCode.basicApplicationConfidentialityProfile] + options.map(\.descriptor.code)
        let items = codes.map { code in
            Item(dataSet: DataSet([
                DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: code.value),
                DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, string: code.scheme),
                DataElement(tag: Tag(0x0008, 0x0104), vr: .LO, string: code.meaning),
            ]))
        }
        let temporal: String
        if profile.options.contains(.retainLongitudinalFullDates) {
            temporal = "UNMODIFIED"
        } else if profile.options.contains(.retainLongitudinalModifiedDates) {
            temporal = "MODIFIED"
        } else {
            temporal = "REMOVED"
        }
        var elements = [
            DataElement(tag: .patientIdentityRemoved, vr: .CS, string: "YES"),
            DataElement(tag: .deidentificationMethod, vr: .LO, string: method.joined(separator: "\\")),
            DataElement(tag: .deidentificationMethodCodeSequence, vr: .SQ, value: .sequence(SequenceOfItems(items: items))),
            DataElement(tag: .longitudinalTemporalInformationModified, vr: .CS, string: temporal),
        ]
        for (tag, value) in (lookup?.clinicalTrial ?? [:]).sorted(by: { $0.key < $1.key }) {
            elements.append(DataElement(tag: Tag(tag), vr: .LO, string: String(value.prefix(64))))
        }
        return elements
    }
}
