import DICOMCodec
import DICOMCore
import DICOMDictionary
@testable import Deidentification
import Testing

/// UIDs PS3.6 registers are never mapped: they name a kind of thing (a SOP Class, a palette), not a patient
/// (issue 13: the MPPS SOP Class in a Philips MR and the Hot Iron palette became 2.25 values).
struct RegisteredUIDTests {
    static let mpps = "1.2.840.10008.3.1.2.3.3"        // Modality Performed Procedure Step SOP Class
    static let hotIron = "1.2.840.10008.1.5.1"         // Hot Iron Color Palette SOP Instance

    @Test func everyRegisteredUIDIsStandardAndNothingElseUnderTheRoot() {
        #expect(ApplicationPass.isStandardUID(Self.mpps))
        #expect(ApplicationPass.isStandardUID(Self.hotIron))
        #expect(ApplicationPass.isStandardUID("1.2.840.10008.1.2.1"))
        #expect(ApplicationPass.isStandardUID("1.2.840.10008.5.1.4.1.1.4"))
        #expect(!ApplicationPass.isStandardUID("1.2.840.10008.9.123456789"), "an unregistered value under the root is mapped")
        #expect(!ApplicationPass.isStandardUID("1.2.826.0.1.3680043.10.999.77"))
    }

    @Test func registeredPaletteIsKeptWhereTheProfileSaysU() throws {
        var file = try TestEnvironment.fixture("mr-explicit-le.dcm")
        file.dataSet.set(DataElement(tag: Tag(0x0028, 0x1199), vr: .UI, string: Self.hotIron))
        let output = try TestEnvironment.deidentifier().deidentify(file).file.dataSet
        #expect(output[Tag(0x0028, 0x1199)]?.string() == Self.hotIron)
    }
}
