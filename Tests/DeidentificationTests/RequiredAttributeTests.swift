import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Testing

/// The profile never breaks the IOD by removing what it requires: an X attribute of Type 1C/2C
/// (present, so its condition most likely holds) is dummied or emptied; an unreadable date under the
/// Modified Dates option is emptied when Type 2.
struct RequiredAttributeTests {
    @Test func responsiblePersonOfAnAnimalIsEmptiedNotRemoved() throws {
        var file = try TestEnvironment.fixture("ct-explicit-le.dcm")
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x2201), vr: .LO, string: "FAKE SPECIES"))     // Patient Species Description
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x2297), vr: .PN, string: "CANARY^OWNER"))     // Responsible Person
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x2299), vr: .LO, string: "CANARY FARM"))      // Responsible Organization
        let output = try TestEnvironment.deidentifier().deidentify(file).file.dataSet
        for tag in [Tag(0x0010, 0x2297), Tag(0x0010, 0x2299)] {
            #expect(output.contains(tag), "\(tag) is Type 2C in the Patient Module: kept, without its value")
            #expect(output[tag]?.bytes?.isEmpty == true, "\(tag) has no value")
        }
    }

    @Test func unreadableType2DateIsEmptiedUnderModifiedDates() throws {
        var file = try TestEnvironment.fixture("ct-explicit-le.dcm")
        file.dataSet.set(DataElement(tag: .studyDate, vr: .DA, string: "1996.10.29"))
        let deidentifier = try TestEnvironment.deidentifier(options: [.retainLongitudinalModifiedDates])
        let output = try deidentifier.deidentify(file).file.dataSet
        #expect(output.contains(.studyDate), "Study Date is Type 2 in the General Study Module")
        #expect(output[.studyDate]?.bytes?.isEmpty == true)
        let plan = try deidentifier.plan(file)
        #expect(plan.edits.first { $0.path.lastTag == .studyDate }?.decision.refinement.description.contains("emptied (Type 2)") == true)
    }
}
