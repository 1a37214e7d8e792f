import DICOMCore
import Testing

struct TagTests {
    @Test func printsAsGroupElementInUpperCaseHex() {
        #expect(Tag(0x0010, 0x0010).description == "(0010,0010)")
        #expect(Tag(0x7FE0, 0x0010).description == "(7FE0,0010)")
    }

    @Test(arguments: ["(0010,0020)", "0010,0020", "00100020"])
    func parsesCommonSpellings(_ text: String) {
        #expect(Tag(parsing: Substring(text)) == Tag(0x0010, 0x0020))
    }

    @Test func privateCreatorsReserveTheirBlocks() {
        #expect(Tag(0x0009, 0x0010).isPrivateCreator)
        #expect(Tag(0x0009, 0x1001).privateCreatorTag == Tag(0x0009, 0x0010))
        #expect(Tag(0x0009, 0x1101).privateCreatorTag == Tag(0x0009, 0x0011))
        #expect(!Tag(0x0005, 0x0010).isPrivate, "groups 0001-0007 are not private")
        #expect(Tag(0x0008, 0x0010).privateCreatorTag == nil)
    }

    @Test func ordersByGroupThenElement() {
        #expect(Tag(0x0008, 0xFFFF) < Tag(0x0010, 0x0000))
        #expect(Tag(0x0010, 0x0010) < Tag(0x0010, 0x0020))
    }
}

struct VRTests {
    @Test func longHeaderFormFollowsPS3_5Table7_1_1() {
        for vr in [VR.OB, .OW, .OF, .OD, .OL, .OV, .SQ, .UN, .UT, .UC, .UR, .SV, .UV] { #expect(vr.usesLongLength, "\(vr)") }
        for vr in [VR.AE, .CS, .DA, .DS, .LO, .PN, .SH, .UI, .US, .UL, .FD, .AT] { #expect(!vr.usesLongLength, "\(vr)") }
        #expect(VR("ZZ").usesLongLength, "unknown VRs take the long form")
    }

    @Test func paddingIsNulForUIAndBinarySpaceForText() {
        #expect(VR.UI.paddingByte == 0)
        #expect(VR.OB.paddingByte == 0)
        #expect(VR.PN.paddingByte == 0x20)
    }

    @Test func describesBadBytesInHex() {
        #expect(VR(byte0: 0x00, byte1: 0x18).description == "0x0018")
        #expect(!VR(byte0: 0x00, byte1: 0x18).isWellFormed)
    }
}

struct TagPathTests {
    @Test func roundTripsThroughText() throws {
        let text = "(0008,1115)[0].(0008,1140)[2].(0008,1155)"
        let path = try #require(TagPath(parsing: text))
        #expect(path.description == text)
        #expect(path.depth == 2)
        #expect(path.lastTag == Tag(0x0008, 0x1155))
    }

    @Test func appendsItemsAndElements() {
        let path = TagPath(Tag(0x0040, 0xA730)).appending(item: 1, tag: Tag(0x0040, 0xA160))
        #expect(path.description == "(0040,A730)[1].(0040,A160)")
    }

    @Test(arguments: ["", "(0008,1115)[x]", "(zz,1)", "(0008,1115)[0"])
    func rejectsMalformedText(_ text: String) {
        #expect(TagPath(parsing: text) == nil)
    }
}

struct TransferSyntaxTests {
    @Test func knowsTheNativeSyntaxes() {
        #expect(TransferSyntax.lookup(uid: "1.2.840.10008.1.2")?.isExplicitVR == false)
        #expect(TransferSyntax.lookup(uid: "1.2.840.10008.1.2.2")?.byteOrder == .bigEndian)
        #expect(TransferSyntax.lookup(uid: "1.2.840.10008.1.2.1.99")?.isDeflated == true)
    }

    @Test(arguments: ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.201"])
    func treatsOtherDICOMSyntaxesAsEncapsulated(_ uid: String) {
        #expect(TransferSyntax.lookup(uid: uid)?.isEncapsulated == true)
    }

    @Test func refusesUIDsOutsideTheTransferSyntaxRoot() {
        #expect(TransferSyntax.lookup(uid: "1.2.3") == nil)
    }
}
