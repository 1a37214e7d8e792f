import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Testing

/// Patients without a Patient ID are told apart: their pseudonym and date shift come from the name and
/// birth date, else from the study, never one shared value for everyone.
struct PatientKeyTests {
    static func file(id: String?, name: String?, birth: String = "19700101", study: String? = nil) throws -> Part10File {
        var file = try TestEnvironment.fixture("sc-utf8-explicit-le.dcm")
        file.dataSet.remove(.patientID)
        if let id { file.dataSet.set(DataElement(tag: .patientID, vr: .LO, string: id)) }
        file.dataSet.remove(.patientName)
        if let name { file.dataSet.set(DataElement(tag: .patientName, vr: .PN, string: name)) }
        file.dataSet.set(DataElement(tag: .patientBirthDate, vr: .DA, string: birth))
        if let study { file.dataSet.set(DataElement(tag: .studyInstanceUID, vr: .UI, string: study)) }
        return file
    }

    static func pseudonym(_ file: Part10File) throws -> (id: String?, notes: [String]) {
        let deidentifier = try TestEnvironment.deidentifier(options: [.retainLongitudinalModifiedDates])
        let result = try deidentifier.deidentify(file)
        return (result.file.dataSet[.patientID]?.string(), result.plan.notes)
    }

    @Test func emptyIDsOfDifferentPatientsGiveDifferentPseudonyms() throws {
        let a = try Self.pseudonym(try Self.file(id: "", name: "FAKE^ALPHA"))
        let b = try Self.pseudonym(try Self.file(id: nil, name: "FAKE^BRAVO"))
        let a2 = try Self.pseudonym(try Self.file(id: "  ", name: "FAKE^ALPHA"))
        #expect(a.id != b.id)
        #expect(a.id == a2.id, "the same name and birth date are one patient")
        #expect(a.notes.contains { $0.contains("Patient's Name and Birth Date") })
        #expect(!a.notes.joined().contains("ALPHA"), "notes carry no values")
        let older = try Self.pseudonym(try Self.file(id: "", name: "FAKE^ALPHA", birth: "19600101"))
        #expect(older.id != a.id, "same name, other birth date: another patient")
    }

    @Test func withoutIDOrNameTheStudyDecides() throws {
        let a = try Self.pseudonym(try Self.file(id: "", name: nil, study: "1.2.3.4.5.1"))
        let b = try Self.pseudonym(try Self.file(id: "", name: nil, study: "1.2.3.4.5.2"))
        #expect(a.id != b.id)
        #expect(a.notes.contains { $0.contains("Study Instance UID") })
    }

    @Test func aPatientIDStillDecides() throws {
        let a = try Self.pseudonym(try Self.file(id: "FAKE-ID-1", name: "FAKE^ALPHA"))
        let b = try Self.pseudonym(try Self.file(id: "FAKE-ID-1", name: "FAKE^OTHER"))
        #expect(a.id == b.id)
        #expect(a.notes.isEmpty)
    }
}
