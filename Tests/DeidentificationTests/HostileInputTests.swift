import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Testing

/// Inputs crafted to slip PHI past the profile (found in review): each planted value must be absent from the
/// output outside Encrypted Content, and the file must still come back exactly.
struct HostileInputTests {
    /// A CT instance in Explicit VR Little Endian: `head` before (0008,0016), `body` between (0008,0018) and
    /// (0010,0010), `tail` after (0010,0020) — each must add elements in ascending tag order.
    static func instance(head: (inout ByteBuilder) -> Void = { _ in }, body: (inout ByteBuilder) -> Void = { _ in },
                         tail: (inout ByteBuilder) -> Void = { _ in }) -> [UInt8] {
        var b = ByteBuilder(.explicitLittle)
        head(&b)
        b.element(Tag(0x0008, 0x0016), "UI", "1.2.840.10008.5.1.4.1.1.2\0")
        b.element(Tag(0x0008, 0x0018), "UI", "2.25.1001\0")
        body(&b)
        b.element(Tag(0x0010, 0x0010), "PN", "SAFE^NAME ")
        b.element(Tag(0x0010, 0x0020), "LO", "PID-1 ")
        tail(&b)
        return ByteBuilder.part10Prefix(transferSyntaxUID: "1.2.840.10008.1.2.1") + b.bytes
    }

    static func expectAbsentAndRestorable(_ bytes: [UInt8], _ canaries: [String],
                                          options: Set<ProfileOption> = [], allowRepeat: Bool = false) throws {
        let original = try Part10Reader.read(bytes: bytes)
        let deidentifier = try TestEnvironment.deidentifier(options: options, allowRepeat: allowRepeat)
        let (output, _) = try TestEnvironment.deidentifyThroughBytes(original, with: deidentifier)
        let searchable = try TestEnvironment.searchableBytes(of: output)
        for canary in canaries {
            #expect(firstIndex(of: Array(canary.utf8), in: searchable) == nil, "\(canary) leaked")
        }
        let restored = try Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate())
            .reidentify(output)
        var restoredFile = try Part10Reader.read(bytes: try Part10Writer.encode(restored.file))
        if !original.dataSet.contains(Tag(0x0012, 0x0062)) { restoredFile.dataSet.remove(Tag(0x0012, 0x0062)) }
        let expected = try TestEnvironment.dataSetBytes(original)
        let actual = try TestEnvironment.dataSetBytes(restoredFile)
        if let at = firstDifference(expected, actual) {
            let lo = max(0, at - 16)
            Issue.record("""
                restored data set differs at offset \(at) (sizes \(expected.count) vs \(actual.count)):
                expected \(expected[lo..<min(expected.count, at + 16)].map { String($0, radix: 16) })
                actual   \(actual[lo..<min(actual.count, at + 16)].map { String($0, radix: 16) })
                tags: \(original.dataSet.elements.map(\.tag)) vs \(restoredFile.dataSet.elements.map(\.tag))
                """)
        }
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    @Test func walksAnEncryptedAttributesSequenceNestedInAnItem() throws {
        let bytes = Self.instance(body: { b in
            b.element(Tag(0x0008, 0x9215), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0400, 0x0500), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0010, 0x0010), "PN", "CANARY^NESTEDEAS")
            b.itemEnd()
            b.sequenceEnd()
            b.itemEnd()
            b.sequenceEnd()
        })
        try Self.expectAbsentAndRestorable(bytes, ["CANARY^NESTEDEAS"])
    }

    @Test func keepsOnlyEncryptedContentInEarlierLayers() throws {
        let bytes = Self.instance(tail: { b in
            b.element(Tag(0x0400, 0x0500), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0010, 0x0010), "PN", "CANARY^INLAYER")
            b.itemEnd()
            b.sequenceEnd()
        })
        try Self.expectAbsentAndRestorable(bytes, ["CANARY^INLAYER"], allowRepeat: true)
    }

    @Test func judgesStandardAttributesWrittenAsUNByTheirDictionaryVR() throws {
        var item = ByteBuilder(.implicitLittle)
        item.element(Tag(0x0010, 0x0010), "PN", "CANARY^UNSEQ")
        let body = [0xFE, 0xFF, 0x00, 0xE0] + ByteBuilder.bytes(of: UInt32(item.bytes.count), .littleEndian) + item.bytes
        let bytes = Self.instance(body: { b in
            b.element(Tag(0x0008, 0x041F), "UN", "20010203040506")   // DT written as UN
            b.element(Tag(0x0008, 0x9215), "UN", bytes: body)         // SQ written as UN, defined length
        }, tail: { b in
            b.element(Tag(0x0014, 0x0102), "UN", "19700101")         // DA written as UN
        })
        try Self.expectAbsentAndRestorable(bytes, ["CANARY^UNSEQ", "20010203040506", "19700101"])
    }

    /// An instance may declare any of its private blocks SAFE in (0008,0300) (PS3.15 E.3.10); a kept private
    /// sequence is still walked, so standard attributes inside get the profile.
    @Test func walksKeptSafePrivateSequences() throws {
        let bytes = Self.instance(body: { b in
            b.element(Tag(0x0008, 0x0300), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0008, 0x0301), "US", uint16s: [0x0011])
            b.element(Tag(0x0008, 0x0302), "LO", "EVIL")
            b.element(Tag(0x0008, 0x0303), "CS", "SAFE")
            b.itemEnd()
            b.sequenceEnd()
        }, tail: { b in
            b.element(Tag(0x0011, 0x0010), "LO", "EVIL")
            b.element(Tag(0x0011, 0x1002), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0010, 0x0010), "PN", "CANARY^INPRIVSEQ")
            b.itemEnd()
            b.sequenceEnd()
        })
        try Self.expectAbsentAndRestorable(bytes, ["CANARY^INPRIVSEQ"], options: [.retainSafePrivate])
    }

    @Test func mapsValuesUnderTheDICOMRootThatAreNotRegisteredUIDs() throws {
        let bytes = Self.instance(body: { b in
            b.element(Tag(0x0008, 0x1140), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0008, 0x1150), "UI", "1.2.840.10008.5.1.4.1.1.2\0")
            b.element(Tag(0x0008, 0x1155), "UI", "1.2.840.10008.9.123456789")
            b.itemEnd()
            b.sequenceEnd()
        })
        try Self.expectAbsentAndRestorable(bytes, ["1.2.840.10008.9.123456789"])
    }

    @Test func removesGroupLengthsInsideItemsAndFileMetaElementsInTheDataSet() throws {
        let bytes = Self.instance(head: { b in
            b.element(Tag(0x0002, 0x0016), "AE", "CANARY-AE-BODY")
        }, body: { b in
            b.element(Tag(0x0008, 0x9215), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0010, 0x0000), "LO", "CANARY-GLNEST")
            b.itemEnd()
            b.sequenceEnd()
        })
        try Self.expectAbsentAndRestorable(bytes, ["CANARY-AE-BODY", "CANARY-GLNEST"])
    }
}
