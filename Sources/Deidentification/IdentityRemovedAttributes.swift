import DICOMCodec
import DICOMCore
import DICOMDictionary

extension Deidentifier {
    /// PS3.15 E.1.1 step 6 and the option codes: Patient Identity Removed, De-identification Method and
    /// its Code Sequence, Longitudinal Temporal Information Modified, and Clinical Trial attributes from the
    /// lookup table.
    static func identityRemovedAttributes(_ settings: DeidentificationSettings,
                                                  lookup: PatientLookupTable.Entry?) -> [DataElement] {
        let options = settings.options.sorted()
        var method = [settings.toolName, ProfileOption.basicProfileCodeMeaning] + options.map(\.codeMeaning)
        method = method.map { String($0.prefix(64)) }
        var codes = [(ProfileOption.basicProfileCodeValue, ProfileOption.basicProfileCodeMeaning)]
        codes += options.map { ($0.codeValue, $0.codeMeaning) }
        let items = codes.map { value, meaning in
            Item(dataSet: DataSet([
                DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: value),
                DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, string: "DCM"),
                DataElement(tag: Tag(0x0008, 0x0104), vr: .LO, string: meaning),
            ]))
        }
        let temporal: String
        if settings.options.contains(.retainLongitudinalFullDates) {
            temporal = "UNMODIFIED"
        } else if settings.options.contains(.retainLongitudinalModifiedDates) {
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
