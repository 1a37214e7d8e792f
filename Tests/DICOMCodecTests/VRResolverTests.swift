import DICOMCodec
import DICOMCore
import DICOMDictionary
import Testing

/// `VRResolver`'s rules, over a stub dictionary that knows a handful of made-up entries (so each rule is seen to
/// come from the resolver, not from the generated tables), and over the generated dictionary.
struct VRResolverTests {
    /// Knows: (0009,xx10) of creator "STUB CREATOR" as DS; (0011,0011) as PN; (0010,0010) as UT (not PS3.6's PN,
    /// so a UT shows the stub was asked); (0028,0106) as US or SS;
    /// (7FE0,0010) as OB or OW; (0028,1101) as US or SS or OW; (0060,3000) as US or OW; nothing else.
    struct StubDictionary: VRDictionary {
        func vr(for tag: DICOMCore.Tag) -> DictionaryVR? {
            switch (tag.group, tag.element) {
            case (0x0011, 0x0011): return .single(.PN)
            case (0x0010, 0x0010): return .single(.UT)
            case (0x0028, 0x0106): return .usOrSS
            case (0x7FE0, 0x0010): return .obOrOW
            case (0x0028, 0x1101): return .usOrSSOrOW
            case (0x0060, 0x3000): return .usOrOW
            default: return nil
            }
        }

        func privateVR(creator: String, group: UInt16, elementByte: UInt8) -> VR? {
            creator == "STUB CREATOR" && group == 0x0009 && elementByte == 0x10 ? .DS : nil
        }
    }

    let stub = VRResolver(dictionary: StubDictionary())

    @Test func groupLengthsAreUL() {
        #expect(stub.resolve(Tag(0x0011, 0x0000), creator: nil, pixelRepresentation: nil) == .UL)
        #expect(stub.resolve(Tag(0x0009, 0x0000), creator: "STUB CREATOR", pixelRepresentation: nil) == .UL)
    }

    @Test func privateCreatorsAreLO() {
        #expect(stub.resolve(Tag(0x0009, 0x0010), creator: nil, pixelRepresentation: nil) == .LO)
        #expect(stub.resolve(Tag(0x0009, 0x00FF), creator: nil, pixelRepresentation: nil) == .LO)
    }

    @Test func privateElementsComeFromThePrivateDictionary() {
        // Any block: the element byte, not the block number, identifies the element.
        #expect(stub.resolve(Tag(0x0009, 0x1010), creator: "STUB CREATOR", pixelRepresentation: nil) == .DS)
        #expect(stub.resolve(Tag(0x0009, 0x2310), creator: "STUB CREATOR", pixelRepresentation: nil) == .DS)
        #expect(stub.resolve(Tag(0x0009, 0x1011), creator: "STUB CREATOR", pixelRepresentation: nil) == .UN)
        #expect(stub.resolve(Tag(0x0009, 0x1010), creator: "OTHER", pixelRepresentation: nil) == .UN)
        #expect(stub.resolve(Tag(0x0009, 0x1010), creator: nil, pixelRepresentation: nil) == .UN)
        // Below the private blocks (0x0001...0x000F, outside any creator's block) never ask the dictionary.
        #expect(stub.resolve(Tag(0x0009, 0x0005), creator: "STUB CREATOR", pixelRepresentation: nil) == .UN)
        // A private tag the standard dictionary happens to name is still private.
        #expect(stub.resolve(Tag(0x0011, 0x0011), creator: nil, pixelRepresentation: nil) == .LO)
    }

    @Test func standardElementsComeFromTheStandardDictionary() {
        #expect(stub.resolve(Tag(0x0010, 0x0010), creator: nil, pixelRepresentation: nil) == .UT)
        #expect(stub.resolve(Tag(0x0010, 0x0020), creator: nil, pixelRepresentation: nil) == .UN)
    }

    @Test func usOrSSFollowsPixelRepresentation() {
        let tag = Tag(0x0028, 0x0106)
        #expect(stub.resolve(tag, creator: nil, pixelRepresentation: nil) == .US)
        #expect(stub.resolve(tag, creator: nil, pixelRepresentation: 0) == .US)
        #expect(stub.resolve(tag, creator: nil, pixelRepresentation: 1) == .SS)
    }

    @Test func wordAmbiguitiesAreOW() {
        #expect(stub.resolve(Tag(0x7FE0, 0x0010), creator: nil, pixelRepresentation: nil) == .OW)
        #expect(stub.resolve(Tag(0x7FE0, 0x0010), creator: nil, pixelRepresentation: 1) == .OW)
        #expect(stub.resolve(Tag(0x0028, 0x1101), creator: nil, pixelRepresentation: 1) == .OW)
        #expect(stub.resolve(Tag(0x0060, 0x3000), creator: nil, pixelRepresentation: nil) == .OW)
    }

    @Test func unknownIsUN() {
        #expect(stub.resolve(Tag(0x0008, 0x0018), creator: nil, pixelRepresentation: nil) == .UN)
        #expect(stub.resolve(Tag(0x0013, 0x1010), creator: "STUB CREATOR", pixelRepresentation: nil) == .UN)
    }

    @Test func defaultResolverUsesTheGeneratedDictionaries() {
        let resolver = VRResolver()
        #expect(resolver.resolve(Tag(0x0010, 0x0010), creator: nil, pixelRepresentation: nil) == .PN)
        #expect(resolver.resolve(Tag(0x0008, 0x0018), creator: nil, pixelRepresentation: nil) == .UI)
        #expect(resolver.resolve(Tag(0x0028, 0x0106), creator: nil, pixelRepresentation: 1) == .SS)
        #expect(resolver.resolve(Tag(0x6002, 0x3000), creator: nil, pixelRepresentation: nil) == .OW)
        #expect(resolver.resolve(Tag(0x0009, 0x0000), creator: nil, pixelRepresentation: nil) == .UL)
        #expect(resolver.resolve(Tag(0x0029, 0x0010), creator: nil, pixelRepresentation: nil) == .LO)
        #expect(resolver.resolve(Tag(0x0029, 0x1010), creator: "NO SUCH CREATOR", pixelRepresentation: nil) == .UN)
        // A private element pydicom's dictionary knows: SIEMENS CSA HEADER (0029,xx08) CS.
        #expect(resolver.resolve(Tag(0x0029, 0x1108), creator: "SIEMENS CSA HEADER", pixelRepresentation: nil) == .CS)
        #expect(resolver.dictionary.vr(for: Tag(0x7FE0, 0x0010)) == .obOrOW)
    }
}
