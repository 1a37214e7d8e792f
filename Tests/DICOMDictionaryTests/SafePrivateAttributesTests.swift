import DICOMCore
import DICOMDictionary
import Testing

@Suite struct SafePrivateAttributesTests {
    @Test func listedRowIsSafe() {
        #expect(SafePrivateAttributes.isSafe(creator: "Philips PET Private Group", group: 0x7053, elementByte: 0x00))
        #expect(SafePrivateAttributes.isSafe(creator: "GEMS_PARM_01 ", group: 0x0043, elementByte: 0x27))
    }

    @Test func unlistedRowIsNotSafe() {
        #expect(!SafePrivateAttributes.isSafe(creator: "Philips PET Private Group", group: 0x7053, elementByte: 0x01))
        #expect(!SafePrivateAttributes.isSafe(creator: "GEMS_PARM_01", group: 0x0045, elementByte: 0x27))
        #expect(!SafePrivateAttributes.isSafe(creator: "SIEMENS CSA HEADER", group: 0x0029, elementByte: 0x10))
    }
}
