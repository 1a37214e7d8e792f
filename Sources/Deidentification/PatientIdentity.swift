/// The new Patient ID and Patient Name of one instance, and the lookup-table entry they came from.
struct PatientIdentity {
    var newID: String
    var newName: String
    var lookup: PatientLookupTable.Entry?
}

extension Deidentifier {
    /// The new Patient ID and Name: from the lookup table, else keyed pseudonyms.
    /// - Throws: ``DeidentificationError`` `.patientNotInLookupTable`.
    func patientIdentity(_ originalID: String) throws -> PatientIdentity {
        if let table = settings.patientLookup {
            guard let entry = table.entries[originalID] else {
                throw DeidentificationError(.patientNotInLookupTable, "Patient ID not found in the lookup table")
            }
            return PatientIdentity(newID: entry.newPatientID, newName: entry.newPatientName ?? entry.newPatientID,
                                   lookup: entry)
        }
        let code = Pseudonym.code(secret: settings.secret, patientID: originalID)
        return PatientIdentity(newID: "ANON-" + code, newName: "ANONYMIZED^" + code, lookup: nil)
    }
}
