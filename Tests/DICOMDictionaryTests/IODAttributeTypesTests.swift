import DICOMCore
import DICOMDictionary
import Testing

@Suite struct IODAttributeTypesTests {
    @Test func ctImage() throws {
        let key = try #require(IODAttributeTypes.iodKey(forSOPClassUID: "1.2.840.10008.5.1.4.1.1.2"))
        #expect(key == "ct-image")
        let types = IODAttributeTypes.types(forIOD: key)
        #expect(types[[.patientName]] == .type2)
        #expect(types[[.sopInstanceUID]] == .type1)
        #expect(types[[.studyInstanceUID]] == .type1)
        #expect(types[[.patientID]] == .type2)
        #expect(types[[.referencedSeriesSequence, .seriesInstanceUID]] != nil)
    }

    @Test func nestedPathsEndWithTheAttribute() {
        let types = IODAttributeTypes.types(forIOD: "ct-image")
        #expect(!types.isEmpty)
        #expect(types.keys.contains { $0.count > 2 })
        #expect(types.keys.allSatisfy { !$0.isEmpty })
    }

    @Test func paddedUIDAndUnknowns() {
        #expect(IODAttributeTypes.iodKey(forSOPClassUID: "1.2.840.10008.5.1.4.1.1.2\0") == "ct-image")
        #expect(IODAttributeTypes.iodKey(forSOPClassUID: "1.2.3") == nil)
        #expect(IODAttributeTypes.types(forIOD: "no-such-iod").isEmpty)
    }

    @Test func everySOPClassHasAnIOD() {
        #expect(IODAttributeTypes.iodKeys.count == 175)
        #expect(IODAttributeTypes.iodKey(forSOPClassUID: "1.2.840.10008.5.1.4.1.1.4") == "mr-image")
    }

    @Test func strengthOrder() {
        #expect(AttributeType.type1 < .type1C)
        #expect(AttributeType.type2C < .type3)
        #expect(AttributeType.type1C.description == "1C")
    }
}
