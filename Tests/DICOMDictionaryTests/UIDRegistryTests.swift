import DICOMDictionary
import Testing

@Suite struct UIDRegistryTests {
    @Test func names() {
        #expect(UIDRegistry.name(for: "1.2.840.10008.5.1.4.1.1.2") == "CT Image Storage")
        #expect(UIDRegistry.name(for: "1.2.840.10008.1.2.1") == "Explicit VR Little Endian")
        #expect(UIDRegistry.name(for: "1.2.840.10008.1.2\0") == "Implicit VR Little Endian")
        #expect(UIDRegistry.name(for: "1.2.3.4") == nil)
    }
}
