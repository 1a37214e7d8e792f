import DICOMCodec
import DICOMCore
import DICOMDictionary
@testable import Deidentification
import Testing

/// UIDs PS3.6 registers are never mapped: they name a kind of thing (a SOP Class, a palette), not a patient
/// (found on real files: the MPPS SOP Class in a Philips MR and the Hot Iron palette became 2.25 values).
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

/// Reference sequences (X/Z/U*) keep their items with UIDs mapped, whatever their Type, so a de-identified
/// collection still references its own instances (found on real files: a Segmentation's Source Image Sequence was
/// emptied and dciodvfy found no referenced instance).
struct ReferenceSequenceTests {
    @Test func referencedAndSourceImagesKeepMappedReferences() throws {
        let original = try TestEnvironment.fixture("ct-explicit-le.dcm")
        let deidentifier = try TestEnvironment.deidentifier()
        let output = try deidentifier.deidentify(original).file.dataSet
        for sequenceTag in [Tag(0x0008, 0x1140), Tag(0x0008, 0x2112)] {
            let before = try #require(original.dataSet[sequenceTag]?.sequence?.items.first?.dataSet[Tag(0x0008, 0x1155)]?.string())
            let after = output[sequenceTag]?.sequence?.items.first?.dataSet[Tag(0x0008, 0x1155)]?.string()
            #expect(after != nil && after != before, "\(sequenceTag): reference kept, UID mapped")
            // The same original UID as a SOP Instance UID maps to the same value: the reference still resolves.
            var referenced = original
            referenced.dataSet.set(DataElement(tag: .sopInstanceUID, vr: .UI, string: before))
            let target = try deidentifier.deidentify(referenced).file.dataSet[.sopInstanceUID]?.string()
            #expect(after == target)
        }
    }
}
