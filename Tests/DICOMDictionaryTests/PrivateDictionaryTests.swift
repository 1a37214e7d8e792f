import DICOMCore
import DICOMDictionary
import Testing

@Suite struct PrivateDictionaryTests {
    @Test(arguments: [
        ("SIEMENS CSA HEADER", UInt16(0x0029), UInt8(0x10), VR.OB),
        ("GEMS_ACQU_01", 0x0019, 0x1E, .DS),
        ("Philips Imaging DD 001", 0x2001, 0x03, .FL),
        ("Philips MR Imaging DD 001", 0x2005, 0x0D, .FL),
    ])
    func knownVendorEntries(creator: String, group: UInt16, byte: UInt8, vr: VR) {
        #expect(PrivateDictionary.vr(creator: creator, group: group, elementByte: byte) == vr)
    }

    @Test func creatorPaddingIsIgnored() {
        #expect(PrivateDictionary.vr(creator: "SIEMENS CSA HEADER ", group: 0x0029, elementByte: 0x10) == .OB)
        #expect(PrivateDictionary.vr(creator: "SIEMENS CSA HEADER\0", group: 0x0029, elementByte: 0x10) == .OB)
        #expect(PrivateDictionary.vr(creator: "siemens csa header", group: 0x0029, elementByte: 0x10) == nil)
    }

    @Test func groupPatternsMatchEveryGroupOfTheirRange() {
        #expect(PrivateDictionary.vr(creator: "PAPYRUS 3.0", group: 0x6001, elementByte: 0x10) == .US)
        #expect(PrivateDictionary.vr(creator: "PAPYRUS 3.0", group: 0x6011, elementByte: 0xC0) == .SQ)
        #expect(PrivateDictionary.vr(creator: "PAPYRUS 3.0", group: 0x6101, elementByte: 0x10) == nil)
    }

    @Test func blockSpecificKeysWinOverBlockAgnosticOnes() {
        // pydicom has ELSCINT1 01F11026 FD and 01F1xx26 DS.
        #expect(PrivateDictionary.vr(creator: "ELSCINT1", group: 0x01F1, elementByte: 0x26) == .FD)
    }

    @Test func blockRelativeFullKeysAreFound() {
        // pydicom writes this one as '00190001' (GDCM's block-relative element byte).
        #expect(PrivateDictionary.vr(creator: "CANON_MEC_MR3^10", group: 0x0019, elementByte: 0x01) == .UL)
    }

    @Test func unknownsAreNil() {
        #expect(PrivateDictionary.vr(creator: "NO SUCH CREATOR", group: 0x0029, elementByte: 0x10) == nil)
        #expect(PrivateDictionary.vr(creator: "SIEMENS CSA HEADER", group: 0x0031, elementByte: 0x10) == nil)
        #expect(PrivateDictionary.vr(creator: "", group: 0x0029, elementByte: 0x10) == nil)
        // 'FDMS 1.0' 0027xxA3 is "US or SS" in pydicom: left out.
        #expect(PrivateDictionary.vr(creator: "FDMS 1.0", group: 0x0027, elementByte: 0xA3) == nil)
    }
}
