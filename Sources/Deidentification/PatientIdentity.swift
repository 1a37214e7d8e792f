import DICOMCodec
import DICOMDictionary

/// The new Patient ID and Patient Name of one instance, and the lookup-table entry they came from.
struct PatientIdentity {
    var newID: String
    var newName: String
    var lookup: PatientLookupTable.Entry?
}

extension Deidentifier {
    /// What identifies the patient for the keyed pseudonym and date shift: the Patient ID; without one,
    /// Patient's Name with Birth Date; without those, the Study Instance UID (one patient per study), so that
    /// unrelated patients without IDs are never merged under one pseudonym. The second value says which,
    /// when it is not the Patient ID (a note for the operator; no value in it).
    static func patientKey(_ dataSet: DataSet, _ characterSet: SpecificCharacterSet) -> (key: String, note: String?) {
        let id = String(dataSet[.patientID]?.string(characterSet)?.drop { $0 == " " } ?? "")
        if !id.isEmpty { return (id, nil) }
        // NUL cannot occur in a Patient ID (LO), so these keys never equal a real ID.
        let name = String(dataSet[.patientName]?.string(characterSet)?.drop { $0 == " " } ?? "")
        let birth = String(dataSet[.patientBirthDate]?.string()?.drop { $0 == " " } ?? "")
        if !name.isEmpty {
            return ("\u{0}name\u{0}" + name + "\u{0}" + birth,
                    "no Patient ID: pseudonym and date shift derived from Patient's Name and Birth Date")
        }
        let study = dataSet[.studyInstanceUID]?.string() ?? ""
        return ("\u{0}study\u{0}" + study,
                "no Patient ID or Patient's Name: pseudonym and date shift derived from the Study Instance UID (one patient per study)")
    }

    /// The new Patient ID and Name: from the lookup table (by the original ID), else keyed pseudonyms of `key`
    /// (``patientKey(_:_:)``).
    /// - Throws: ``DeidentificationError`` `.patientNotInLookupTable`.
    func patientIdentity(_ originalID: String, key: String) throws(DeidentificationError) -> PatientIdentity {
        if let table = settings.keys.patientLookup {
            guard let entry = table.entries[originalID] else {
                throw DeidentificationError(.patientNotInLookupTable, "Patient ID not found in the lookup table")
            }
            return PatientIdentity(newID: entry.newPatientID, newName: entry.newPatientName ?? entry.newPatientID,
                                   lookup: entry)
        }
        let code = Pseudonym.code(secret: settings.keys.secret, patientID: key)
        return PatientIdentity(newID: "ANON-" + code, newName: "ANONYMIZED^" + code, lookup: nil)
    }
}
