import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// `write(read(b)) == b` for data sets built byte by byte, in every native transfer syntax and file layout.
struct RoundTripTests {
    /// Named data set bodies; each builds its bytes in the encoding given.
    enum Body: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case nestedSequences, definedLengthContainers, emptySequenceAndItem, privateBlocks, groupLengths, oddLengths,
             everyVR

        var testDescription: String { rawValue }

        func bytes(_ encoding: ElementEncoding) -> [UInt8] {
            var b = ByteBuilder(encoding)
            switch self {
            case .nestedSequences:
                return Sample.nestedBody(encoding).bytes
            case .definedLengthContainers:
                var leaf = ByteBuilder(encoding)
                leaf.element(Tag(0x0008, 0x1150), "UI", "1.2.840.10008.5.1.4.1.1.2\0")
                leaf.element(Tag(0x0008, 0x1155), "UI", "1.2.3.4\0")
                var middle = ByteBuilder(encoding)
                middle.sequence(Tag(0x0008, 0x1140), definedLengthItems: [leaf.bytes, leaf.bytes])
                middle.element(Tag(0x0020, 0x000E), "UI", "1.2.3.5\0")
                b.element(Tag(0x0008, 0x0020), "DA", "20240101")
                b.sequence(Tag(0x0008, 0x1115), definedLengthItems: [middle.bytes, []])
                // An undefined-length item inside a defined-length sequence.
                var mixed = ByteBuilder(encoding)
                mixed.item(undefinedLength: true)
                mixed.element(Tag(0x0008, 0x0100), "SH", "T-12345 ")
                mixed.itemEnd()
                b.element(Tag(0x0008, 0x1250), "SQ", undefinedLength: false, length: UInt32(mixed.bytes.count))
                b.raw(mixed.bytes)
                b.element(Tag(0x0010, 0x0010), "PN", "Doe^Jane")
            case .emptySequenceAndItem:
                b.element(Tag(0x0008, 0x1110), "SQ", undefinedLength: true)
                b.sequenceEnd()
                b.element(Tag(0x0008, 0x1111), "SQ", undefinedLength: false, length: 0)
                b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
                b.item(undefinedLength: true)
                b.itemEnd()
                b.item(body: [])
                b.sequenceEnd()
            case .privateBlocks:
                b.element(Tag(0x0008, 0x0020), "DA", "20240101")
                b.element(Tag(0x0029, 0x0010), "LO", "ACME IMAGING 1.0")
                b.element(Tag(0x0029, 0x0011), "LO", "OTHER VENDOR")
                b.element(Tag(0x0029, 0x1001), "LO", "block one ")
                b.element(Tag(0x0029, 0x1008), "UN", bytes: [1, 2, 3, 4])
                b.element(Tag(0x0029, 0x1101), "SH", "block two ")
                b.element(Tag(0x0029, 0x1102), "UL", uint32s: [0xDEAD_BEEF])
                b.element(Tag(0x0029, 0x1110), "SQ", undefinedLength: true)
                b.item(undefinedLength: true)
                b.element(Tag(0x0029, 0x0010), "LO", "NESTED CREATOR")
                b.element(Tag(0x0029, 0x1001), "OB", bytes: [0xFF, 0])
                b.itemEnd()
                b.sequenceEnd()
            case .groupLengths:
                b.element(Tag(0x0008, 0x0000), "UL", uint32s: [18])
                b.element(Tag(0x0008, 0x0020), "DA", "20240101")
                b.element(Tag(0x0010, 0x0000), "UL", uint32s: [999])   // wrong on purpose: kept as read
                b.element(Tag(0x0010, 0x0010), "PN", "Doe^John")
                b.element(Tag(0x0029, 0x0000), "UL", uint32s: [0])
            case .oddLengths:
                b.element(Tag(0x0008, 0x0018), "UI", "1.2.3")            // odd, no NUL
                b.element(Tag(0x0008, 0x0020), "DA", "2024010")
                b.element(Tag(0x0010, 0x0010), "PN", "Doe^J")
                b.element(Tag(0x0010, 0x1010), "AS", "")
                b.element(Tag(0x0029, 0x0010), "LO", "ODD")
                b.element(Tag(0x0029, 0x1001), "OB", bytes: [1, 2, 3])
            case .everyVR:
                var t: UInt16 = 0x1000
                for vr in ["AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI",
                           "UR", "UT"] {
                    b.element(Tag(0x0019, t), vr, "text value\\2 ")
                    t += 1
                }
                b.element(Tag(0x0019, t), "AT", uint16s: [0x0010, 0x0010]); t += 1
                b.element(Tag(0x0019, t), "FL", uint32s: [Float(1.5).bitPattern]); t += 1
                b.element(Tag(0x0019, t), "FD", uint64s: [Double(-2.25).bitPattern]); t += 1
                b.element(Tag(0x0019, t), "OD", uint64s: [1, 2]); t += 1
                b.element(Tag(0x0019, t), "OF", uint32s: [3, 4]); t += 1
                b.element(Tag(0x0019, t), "OL", uint32s: [5, 6]); t += 1
                b.element(Tag(0x0019, t), "OV", uint64s: [7]); t += 1
                b.element(Tag(0x0019, t), "OW", uint16s: [8, 9]); t += 1
                b.element(Tag(0x0019, t), "OB", bytes: [10, 11]); t += 1
                b.element(Tag(0x0019, t), "SL", uint32s: [UInt32(bitPattern: -12)]); t += 1
                b.element(Tag(0x0019, t), "SS", uint16s: [UInt16(bitPattern: -13)]); t += 1
                b.element(Tag(0x0019, t), "SV", uint64s: [UInt64(bitPattern: -14)]); t += 1
                b.element(Tag(0x0019, t), "UL", uint32s: [15]); t += 1
                b.element(Tag(0x0019, t), "US", uint16s: [16, 17]); t += 1
                b.element(Tag(0x0019, t), "UV", uint64s: [18]); t += 1
                b.element(Tag(0x0019, t), "UN", bytes: [19, 20])
            }
            return b.bytes
        }
    }

    static let bodiesInSyntaxes: [(Body, Syntax)] = Body.allCases.flatMap { body in Syntax.allCases.map { (body, $0) } }

    @Test(arguments: bodiesInSyntaxes)
    func part10FileRoundTrips(_ body: Body, _ syntax: Syntax) throws {
        let file = try #require(expectRoundTrip(Sample.part10(syntax, body.bytes(syntax.encoding)), "\(body) \(syntax)"))
        #expect(file.layout == .part10)
        #expect(file.transferSyntax == syntax.transferSyntax)
        #expect(file.dataSetEncoding == syntax.encoding)
        // Read-write-read: the re-read file has the same elements at every level.
        let again = try Part10Reader.read(bytes: try Part10Writer.encode(file))
        #expect(ElementSummary.of(again).mapValues(\.value) == ElementSummary.of(file).mapValues(\.value))
    }

    @Test func keepsRecordedLengthFormsAndVRs() throws {
        let file = try #require(expectRoundTrip(Sample.part10(.explicitLittle, Body.definedLengthContainers.bytes(.explicitLittle))))
        let outer = try #require(file.dataSet[Tag(0x0008, 0x1115)]?.sequence)
        #expect(!outer.isUndefinedLength)
        #expect(outer.items.map(\.isUndefinedLength) == [false, false])
        #expect(outer.items[1].dataSet.isEmpty)
        let mixed = try #require(file.dataSet[Tag(0x0008, 0x1250)]?.sequence)
        #expect(!mixed.isUndefinedLength)
        #expect(mixed.items.map(\.isUndefinedLength) == [true])
        let path = try #require(TagPath(parsing: "(0008,1115)[0].(0008,1140)[1].(0008,1155)"))
        #expect(file.dataSet.element(at: path)?.string() == "1.2.3.4")
        #expect(file.dataSet[Tag(0x0008, 0x0020)]?.header == .explicitShort)
    }

    /// A UN element of undefined length holds Implicit VR Little Endian items, also inside an explicit VR file
    /// (PS3.5 6.2.2, CP-246); the items are read as a sequence and written back as they were.
    @Test(arguments: [Syntax.explicitLittle, .explicitBig])
    func unknownVRSequenceOfUndefinedLengthRoundTrips(_ syntax: Syntax) throws {
        var items = ByteBuilder(.implicitLittle)
        items.item(undefinedLength: true)
        items.element(Tag(0x0029, 0x0010), "LO", "INNER CREATOR ")
        items.element(Tag(0x0029, 0x1001), "US", uint16s: [7])
        items.element(Tag(0x0029, 0x1002), "SQ", undefinedLength: true)
        items.item(body: [])
        items.sequenceEnd()
        items.itemEnd()
        items.item(body: [0x10, 0x00, 0x10, 0x00, 4, 0, 0, 0] + Array("Doe^".utf8))
        items.sequenceEnd()
        let file = Sample.part10(syntax) { b in
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.element(Tag(0x0029, 0x0010), "LO", "ACME")
            b.element(Tag(0x0029, 0x1010), "UN", undefinedLength: true)
            b.raw(items.bytes)
            b.element(Tag(0x0029, 0x1011), "UN", bytes: [1, 2])
        }
        let read = try #require(expectRoundTrip(file, "CP-246 \(syntax)"))
        let un = try #require(read.dataSet[Tag(0x0029, 0x1010)])
        #expect(un.vr == .UN)
        let sequence = try #require(un.sequence)
        #expect(sequence.itemEncoding == .implicitLittle)
        #expect(sequence.items.count == 2)
        #expect(sequence.items[0].dataSet.count == 3)
        #expect(sequence.items[1].dataSet[Tag(0x0010, 0x0010)]?.string() == "Doe^")
    }

    @Test(arguments: ["empty offset table", "offset table"])
    func encapsulatedPixelDataRoundTrips(_ kind: String) throws {
        let jpegBaseline = "1.2.840.10008.1.2.4.50"
        var b = ByteBuilder(.explicitLittle)
        b.element(Tag(0x0028, 0x0010), "US", uint16s: [2])
        b.element(Tag(0x7FE0, 0x0010), "OB", undefinedLength: true)
        if kind == "empty offset table" {
            b.item(body: [])
        } else {
            b.item(body: ByteBuilder.bytes(of: UInt32(0), .littleEndian) + ByteBuilder.bytes(of: UInt32(14), .littleEndian))
        }
        b.item(body: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])
        b.item(body: [])
        b.item(body: [0xFF, 0xD8, 0xFF, 0xD9])
        b.sequenceEnd()
        b.element(Tag(0xFFFC, 0xFFFC), "OB", bytes: [0, 0])
        let bytes = ByteBuilder.part10Prefix(transferSyntaxUID: jpegBaseline) + b.bytes
        let file = try #require(expectRoundTrip(bytes, kind))
        #expect(file.transferSyntax.isEncapsulated)
        guard case .fragments(let fragments)? = file.dataSet[Tag.pixelData]?.value else {
            Issue.record("pixel data is not read as fragments")
            return
        }
        #expect(fragments.items.map(\.count) == [kind == "empty offset table" ? 0 : 8, 6, 0, 4])
    }

    /// Deflated files keep their compressed stream: one made by zlib at level 9 (not what the codec would write)
    /// comes back byte for byte.
    @Test(.enabled(if: Pydicom.isAvailable, Comment(rawValue: Peer.skipReason(.pydicom))))
    func deflatedFileFromAnotherCompressorRoundTrips() throws {
        let body = Sample.nestedBody(.explicitLittle).bytes
        let python = try Peer.pydicom.require()
        let script = "import sys, zlib; c = zlib.compressobj(9, zlib.DEFLATED, -15, 9); "
            + "sys.stdout.buffer.write(c.compress(sys.stdin.buffer.read()) + c.flush())"
        let outcome = try python.run(["-c", script], stdin: Data(body))
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        let stream = [UInt8](outcome.stdout)
        let bytes = ByteBuilder.part10Prefix(transferSyntaxUID: BadInputTests.deflatedUID) + stream
        let file = try #require(expectRoundTrip(bytes, "zlib level 9"))
        let plain = try #require(expectRoundTrip(Sample.part10(.explicitLittle, body)))
        #expect(ElementSummary.of(file).filter { !$0.key.hasPrefix("(0002") }.mapValues(\.value)
                == ElementSummary.of(plain).filter { !$0.key.hasPrefix("(0002") }.mapValues(\.value))
    }

    /// A deflated file written by the codec reads back; an edit re-deflates the data set.
    @Test func deflatedFileWrittenByTheCodecRoundTrips() throws {
        let body = Body.privateBlocks.bytes(.explicitLittle)
        let bytes = ByteBuilder.part10Prefix(transferSyntaxUID: BadInputTests.deflatedUID) + (try BadInputTests.deflate(body))
        var file = try #require(expectRoundTrip(bytes, "codec deflate"))
        #expect(file.dataSet[Tag(0x0029, 0x1101)]?.string() == "block two")
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, string: "Edited^Name"))
        let edited = try Part10Writer.encode(file)
        let again = try Part10Reader.read(bytes: edited)
        #expect(again.dataSet[Tag(0x0010, 0x0010)]?.string() == "Edited^Name")
        #expect(again.dataSet.count == file.dataSet.count)
    }

    @Test func nonZeroPreambleRoundTrips() throws {
        var bytes = ByteBuilder.part10Prefix(transferSyntaxUID: Syntax.explicitLittle.uid, preambleByte: 0xA5)
        bytes[0] = 0x49   // "II*\0": a TIFF header in the preamble (PS3.10 7.1 dual-personality files)
        bytes[1] = 0x49
        bytes[2] = 0x2A
        bytes[3] = 0x00
        bytes += Sample.nestedBody(.explicitLittle).bytes
        let file = try #require(expectRoundTrip(bytes, "preamble"))
        #expect(file.preamble.map(Array.init) == Array(bytes[0..<128]))
    }

    @Test func metaWithUnknownElementsRoundTrips() throws {
        var meta = ByteBuilder(.explicitLittle)
        meta.element(Tag(0x0002, 0x0001), "OB", bytes: [0, 1])
        meta.element(Tag(0x0002, 0x0002), "UI", "1.2.840.10008.5.1.4.1.1.7\0")
        meta.element(Tag(0x0002, 0x0003), "UI", "1.2.3.4\0")
        meta.element(Tag(0x0002, 0x0010), "UI", "1.2.840.10008.1.2.1\0")
        meta.element(Tag(0x0002, 0x0016), "AE", "STATION1")
        meta.element(Tag(0x0002, 0x0077), "LO", "not in PS3.10")
        meta.element(Tag(0x0002, 0x0100), "UI", "1.2.3.99\0")
        meta.element(Tag(0x0002, 0x0102), "OB", bytes: [1, 2, 3, 4])
        meta.element(Tag(0x0002, 0x0F00), "ZZ", bytes: [5, 6])
        var group = ByteBuilder(.explicitLittle)
        group.element(Tag(0x0002, 0x0000), "UL", uint32s: [UInt32(meta.bytes.count)])
        let bytes = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + group.bytes + meta.bytes
            + Sample.nestedBody(.explicitLittle).bytes
        let file = try #require(expectRoundTrip(bytes, "meta"))
        #expect(file.meta.count == 10)
        #expect(file.meta[Tag(0x0002, 0x0077)]?.string() == "not in PS3.10")
        #expect(file.meta[Tag(0x0002, 0x0F00)]?.vr == VR("ZZ"))
    }

    @Test(arguments: Syntax.allCases)
    func metaWithoutPreambleRoundTrips(_ syntax: Syntax) throws {
        let bytes = Array(ByteBuilder.part10Prefix(transferSyntaxUID: syntax.uid).dropFirst(132))
            + Sample.nestedBody(syntax.encoding).bytes
        let file = try #require(expectRoundTrip(bytes, "no preamble"))
        #expect(file.layout == .metaWithoutPreamble)
        #expect(file.preamble == nil)
        #expect(file.transferSyntax == syntax.transferSyntax)
    }

    @Test(arguments: Syntax.allCases)
    func rawDataSetRoundTrips(_ syntax: Syntax) throws {
        let bytes = Sample.nestedBody(syntax.encoding).bytes
        let file = try #require(expectRoundTrip(bytes, "raw \(syntax)"))
        #expect(file.layout == .rawDataSet)
        #expect(file.meta.isEmpty)
        #expect(file.dataSetEncoding == syntax.encoding)
        #expect(file.dataSet[Tag(0x0010, 0x0010)]?.string() == "Doe^John")
    }

    /// Implicit VR data gets its VRs from the dictionary; the values are untouched.
    @Test func implicitVRElementsGetDictionaryVRs() throws {
        let file = try #require(expectRoundTrip(Sample.part10(.implicitLittle, Sample.nestedBody(.implicitLittle).bytes)))
        #expect(file.dataSet[Tag(0x0008, 0x0005)]?.vr == .CS)
        #expect(file.dataSet[Tag(0x0008, 0x1115)]?.vr == .SQ)
        #expect(file.dataSet[Tag(0x0010, 0x0010)]?.vr == .PN)
        #expect(file.dataSet[Tag(0x0028, 0x0010)]?.vr == .US)
        #expect(file.dataSet[Tag(0x7FE0, 0x0010)]?.vr == .OW)
        #expect(file.dataSet[Tag(0x0010, 0x0010)]?.header == .implicit)
    }
}
