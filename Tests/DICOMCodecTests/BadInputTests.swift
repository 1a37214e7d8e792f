import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Broken, hostile and non-DICOM input gives a typed ``DICOMError`` whose one-line description says where;
/// never a crash or a hang.
struct BadInputTests {
    // MARK: - Truncation

    /// Every prefix of a valid file either is itself a valid file (it ends exactly after a top-level element)
    /// and round-trips, or is refused with a ``DICOMError``.
    @Test(arguments: Syntax.allCases)
    func everyPrefixParsesOnlyAtElementBoundaries(_ syntax: Syntax) throws {
        let body = Sample.nestedBody(syntax.encoding)
        let prefix = ByteBuilder.part10Prefix(transferSyntaxUID: syntax.uid)
        let file = prefix + body.bytes
        let metaEnds = Sample.explicitLittleBoundaries(prefix, from: 132) { $0.group == 0x0002 }
        #expect(metaEnds.last == prefix.count)
        let boundaries = Set(metaEnds + body.boundaries.map { $0 + prefix.count })
        #expect(boundaries.contains(file.count))

        var parsed = 0
        for length in 0...file.count {
            let bytes = Array(file[..<length])
            do {
                let read = try Part10Reader.read(bytes: bytes)
                #expect(boundaries.contains(length), "prefix of \(length) bytes parsed but ends inside an element")
                #expect(try Part10Writer.encode(read) == bytes, "prefix of \(length) bytes round-trips")
                parsed += 1
            } catch {
                #expect(!boundaries.contains(length), "prefix of \(length) bytes is a whole file: \(error)")
                #expect(!error.description.contains("\n"))
                #expect(error.offset != nil, "\(error)")
            }
        }
        #expect(parsed == boundaries.count)
    }

    @Test func rejectsValueLengthBeyondEndOfFile() {
        let file = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.element(Tag(0x0010, 0x0010), "PN", bytes: [])
            b.raw(Array("Doe^Jo".utf8))
        }
        // Patch the PN length (16-bit) from 0 to 40 while only 6 bytes follow.
        var bytes = file
        let valueStart = bytes.count - 6
        bytes[valueStart - 2] = 40
        expectReadError(bytes, .lengthExceedsParent, offset: valueStart, path: "(0010,0010)")
    }

    @Test func rejectsItemLengthBeyondItsSequenceDefinedLength() {
        var inner = ByteBuilder(.explicitLittle)
        inner.element(Tag(0x0008, 0x1150), "UI", "1.2.3\0")
        var b = ByteBuilder(.explicitLittle)
        // The sequence says 8 + 14 bytes; the item claims 100.
        b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: false, length: 8 + UInt32(inner.bytes.count))
        b.item(undefinedLength: false, length: 100)
        b.raw(inner.bytes)
        b.element(Tag(0x0010, 0x0010), "PN", "Doe^John")
        let file = Sample.part10(.explicitLittle, b.bytes)
        let itemBody = file.count - b.bytes.count + 12 + 8
        expectReadError(file, .lengthExceedsParent, offset: itemBody, path: "(0008,1115)")
    }

    @Test func rejectsUndefinedLengthSequenceWithoutDelimiter() {
        let unclosedSequence = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
            b.item(undefinedLength: true)
            b.element(Tag(0x0008, 0x1150), "UI", "1.2.3\0")
            b.itemEnd()
        }
        expectReadError(unclosedSequence, .truncated, offset: unclosedSequence.count, path: "(0008,1115)")

        let unclosedItem = Sample.part10(.implicitLittle) { b in
            b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
            b.item(undefinedLength: true)
            b.element(Tag(0x0008, 0x1150), "UI", "1.2.3\0")
        }
        expectReadError(unclosedItem, .truncated, offset: unclosedItem.count, path: "(0008,1115)[0]")
    }

    @Test func rejectsItemDelimiterOutsideAnItem() {
        let topLevel = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.itemEnd()
        }
        expectReadError(topLevel, .unexpectedDelimiter, offset: topLevel.count - 8)

        // Inside an item of defined length, an Item Delimitation Item is not allowed either.
        var body = ByteBuilder(.explicitLittle)
        body.element(Tag(0x0008, 0x1150), "UI", "1.2.3\0")
        body.itemEnd()
        let definedItem = Sample.part10(.explicitLittle) { b in
            b.sequence(Tag(0x0008, 0x1115), definedLengthItems: [body.bytes])
        }
        expectReadError(definedItem, .unexpectedDelimiter, offset: definedItem.count - 8, path: "(0008,1115)[0]")

        // In a sequence, where an item should be.
        let inSequence = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
            b.itemEnd()
            b.sequenceEnd()
        }
        expectReadError(inSequence, .unexpectedDelimiter, offset: inSequence.count - 16, path: "(0008,1115)")
    }

    @Test func rejectsSequenceDelimiterWhereNoSequenceIsOpen() {
        let topLevel = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.sequenceEnd()
        }
        expectReadError(topLevel, .unexpectedDelimiter, offset: topLevel.count - 8)

        var sequence = ByteBuilder(.explicitLittle)
        sequence.item(body: [])
        sequence.sequenceEnd()
        let definedSequence = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: false, length: UInt32(sequence.bytes.count))
            b.raw(sequence.bytes)
        }
        expectReadError(definedSequence, .unexpectedDelimiter, offset: definedSequence.count - 8, path: "(0008,1115)")
    }

    /// 0xFFFFFFF0 in every kind of 32-bit length field: an element value, a sequence, an item, a fragment.
    @Test(arguments: ["value", "sequence", "item", "fragment", "implicit value"])
    func rejectsLyingLength(_ field: String) {
        let lie: UInt32 = 0xFFFF_FFF0
        var syntax = Syntax.explicitLittle
        var b = ByteBuilder(.explicitLittle)
        switch field {
        case "value":
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.element(Tag(0x0010, 0x1002), "UT", undefinedLength: false, length: lie)
            b.raw(Array("text".utf8))
        case "sequence":
            b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: false, length: lie)
            b.item(body: [])
        case "item":
            b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
            b.item(undefinedLength: false, length: lie)
            b.sequenceEnd()
        case "fragment":
            b.element(Tag(0x7FE0, 0x0010), "OB", undefinedLength: true)
            b.item(body: [])
            b.item(undefinedLength: false, length: lie)
            b.raw([1, 2, 3, 4])
            b.sequenceEnd()
        default:
            syntax = .implicitLittle
            b = ByteBuilder(.implicitLittle)
            b.element(Tag(0x0010, 0x0010), "PN", undefinedLength: false, length: lie)
            b.raw(Array("Doe^John".utf8))
        }
        let error = expectReadError(Sample.part10(syntax, b.bytes), .lengthExceedsParent)
        #expect(error?.path.isEmpty == false, "\(String(describing: error))")
    }

    // MARK: - Nesting

    /// `depth` sequences of undefined length, each in the one item of its parent.
    static func nested(_ depth: Int, syntax: Syntax = .explicitLittle) -> [UInt8] {
        var b = ByteBuilder(syntax.encoding)
        for _ in 0..<depth {
            b.element(Tag(0x0040, 0xA730), "SQ", undefinedLength: true)
            b.item(undefinedLength: true)
        }
        b.element(Tag(0x0040, 0xA160), "UT", "deep")
        for _ in 0..<depth {
            b.itemEnd()
            b.sequenceEnd()
        }
        return Sample.part10(syntax, b.bytes)
    }

    @Test(arguments: [Syntax.explicitLittle, .implicitLittle])
    func refusesNestingDeeperThanTheLimit(_ syntax: Syntax) {
        let error = expectReadError(Self.nested(200, syntax: syntax), .nestingTooDeep)
        #expect(error?.path.components.count == 65, "\(String(describing: error))")
    }

    @Test func readsNestingWithinTheLimit() throws {
        let file = try #require(expectRoundTrip(Self.nested(60), "60 nested sequences"))
        let leaf = TagPath(Array(repeating: TagPath.Component(tag: Tag(0x0040, 0xA730), item: 0), count: 60)
                           + [TagPath.Component(tag: Tag(0x0040, 0xA160))])
        #expect(file.dataSet.element(at: leaf)?.string() == "deep")
    }

    @Test func nestingLimitIsAReadOption() {
        let bytes = Self.nested(4)
        expectReadError(bytes, .nestingTooDeep, options: ReadOptions(maxNestingDepth: 3))
        expectRoundTrip(bytes, "4 nested, limit 4", options: ReadOptions(maxNestingDepth: 4))
    }

    // MARK: - VRs and tags

    @Test(arguments: [[0x00, 0x18] as [UInt8], [0x20, 0x20], [0x70, 0x6E], [0xFF, 0xFF], [0x41, 0x00]])
    func rejectsGarbageVRBytes(_ vr: [UInt8]) {
        var b = ByteBuilder(.explicitLittle)
        b.element(Tag(0x0008, 0x0020), "DA", "20240101")
        b.raw([0x10, 0x00, 0x10, 0x00] + vr + [0x04, 0x00] + Array("Doe^".utf8))
        let file = Sample.part10(.explicitLittle, b.bytes)
        expectReadError(file, .invalidVR, offset: file.count - 8, path: "(0010,0010)")
    }

    /// A VR defined after this codec was written has the long header form (PS3.5 7.1.2).
    @Test func readsUnknownWellFormedVRWithTheLongHeader() throws {
        let file = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.element(Tag(0x0011, 0x0010), "LO", "ACME")
            b.element(Tag(0x0011, 0x1001), "ZZ", bytes: [1, 2, 3, 4, 5, 6])
            b.element(Tag(0x0011, 0x1002), "UN", bytes: [9, 9])
        }
        let read = try #require(expectRoundTrip(file, "ZZ"))
        let zz = try #require(read.dataSet[Tag(0x0011, 0x1001)])
        #expect(zz.vr == VR("ZZ"))
        #expect(zz.header == .explicitLong(reserved: 0))
        #expect(zz.bytes.map(Array.init) == [1, 2, 3, 4, 5, 6])
        #expect(read.dataSet[Tag(0x0011, 0x1002)]?.bytes.map(Array.init) == [9, 9])
    }

    /// Group 0000 (command) elements, odd groups below 0008 and trailing padding are read and written back.
    @Test func readsUnusualGroups() throws {
        let file = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0000, 0x0000), "UL", uint32s: [18])
            b.element(Tag(0x0000, 0x0902), "LO", "status text ")
            b.element(Tag(0x0001, 0x0001), "UN", bytes: [0xAB, 0xCD])
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.element(Tag(0xFFFA, 0xFFFA), "SQ", undefinedLength: true)
            b.sequenceEnd()
            b.element(Tag(0xFFFC, 0xFFFC), "OB", bytes: [0, 0, 0, 0])
        }
        let read = try #require(expectRoundTrip(file, "unusual groups"))
        #expect(read.dataSet.elements.map(\.tag) == [Tag(0x0000, 0x0000), Tag(0x0000, 0x0902), Tag(0x0001, 0x0001),
                                                    Tag(0x0008, 0x0020), Tag(0xFFFA, 0xFFFA), Tag(0xFFFC, 0xFFFC)])
    }

    @Test func rejectsAdjacentDuplicateTag() {
        let file = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0010, 0x0010), "PN", "Doe^John")
            b.element(Tag(0x0010, 0x0010), "PN", "Roe^Jane")
        }
        expectReadError(file, .duplicateTag, offset: file.count - 16, path: "(0010,0010)")
    }

    /// A tag that comes back after an out-of-order element is still a duplicate.
    @Test func rejectsDuplicateTagAfterOutOfOrderElement() {
        let file = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0010, 0x0010), "PN", "Doe^John")
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.element(Tag(0x0010, 0x0010), "PN", "Roe^Jane")
        }
        expectReadError(file, .duplicateTag, offset: file.count - 16, path: "(0010,0010)")
    }

    @Test func rejectsDuplicateTagInsideAnItem() {
        let file = Sample.part10(.implicitLittle) { b in
            b.element(Tag(0x0008, 0x1115), "SQ", undefinedLength: true)
            b.item()
            b.element(Tag(0x0008, 0x1150), "UI", "1.2.3\0")
            b.element(Tag(0x0008, 0x1150), "UI", "1.2.4\0")
            b.itemEnd()
            b.sequenceEnd()
        }
        expectReadError(file, .duplicateTag, offset: file.count - 30, path: "(0008,1115)[0].(0008,1150)")
    }

    @Test func readsOutOfOrderTagsAndKeepsTheirOrder() throws {
        let file = Sample.part10(.explicitLittle) { b in
            b.element(Tag(0x0010, 0x0020), "LO", "ID-1")
            b.element(Tag(0x0010, 0x0010), "PN", "Doe^John")
            b.element(Tag(0x0008, 0x0020), "DA", "20240101")
            b.element(Tag(0x0020, 0x0013), "IS", "7 ")
        }
        let read = try #require(expectRoundTrip(file, "out of order"))
        #expect(read.dataSet.elements.map(\.tag) == [Tag(0x0010, 0x0020), Tag(0x0010, 0x0010), Tag(0x0008, 0x0020),
                                                    Tag(0x0020, 0x0013)])
        #expect(read.dataSet[Tag(0x0008, 0x0020)]?.string() == "20240101")
        #expect(read.dataSet[Tag(0x0010, 0x0010)]?.string() == "Doe^John")
        #expect(read.dataSet[Tag(0x0020, 0x0013)]?.string() == "7")
    }

    // MARK: - Trailing garbage and non-DICOM input

    @Test(arguments: 1...7)
    func rejectsTrailingGarbage(_ count: Int) {
        for syntax in Syntax.allCases {
            let valid = Sample.part10(syntax, Sample.nestedBody(syntax.encoding).bytes)
            let garbage = (0..<count).map { UInt8(0x41 + $0) }
            expectReadError(valid + garbage, .trailingGarbage, offset: valid.count)
        }
    }

    static let notDICOM: [(String, [UInt8])] = [
        ("empty", []),
        ("three bytes", [0x08, 0x00, 0x10]),
        ("text", Array("Patient: Doe^John\nStudy date: 2024-01-01\nThis is a report, not a DICOM file.\n".utf8)),
        ("short text", Array("hello".utf8)),
        ("PNG header", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
                        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00]),
        ("zeros", [UInt8](repeating: 0, count: 512)),
        ("few zeros", [UInt8](repeating: 0, count: 9)),
        ("gzip", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03] + [UInt8](repeating: 0x55, count: 200)),
    ]

    @Test(arguments: notDICOM.map(\.0))
    func rejectsNonDICOMFiles(_ name: String) throws {
        let bytes = try #require(Self.notDICOM.first { $0.0 == name }).1
        expectReadError(bytes, .notDICOM, offset: 0)
    }

    @Test func rejectsNonDICOMFileOnDisk() throws {
        try withTemporaryFile(Array("just text, not DICOM at all".utf8), name: "notes.txt") { path in
            #expect(throws: DICOMError(.notDICOM)) { try Part10Reader.read(contentsOf: path) }
            do {
                _ = try Part10Reader.read(contentsOf: path)
            } catch let error as DICOMError {
                #expect(error.file == "notes.txt")
                #expect(error.description.contains("of notes.txt"))
            }
        }
    }

    @Test func rejectsUnknownTransferSyntax() {
        let file = ByteBuilder.part10Prefix(transferSyntaxUID: "1.2.3") + Sample.nestedBody(.explicitLittle).bytes
        expectReadError(file, .unsupportedTransferSyntax, path: "(0002,0010)")
    }

    /// The description quotes the UID from the file only when it is shaped like a UID: other bytes (control
    /// characters, text) never reach the one-line message.
    @Test func describesAUnknownTransferSyntaxWithControlCharactersOnOneLine() {
        let file = ByteBuilder.part10Prefix(transferSyntaxUID: "1.2.3\n4\r\u{1B}[2J") + Sample.nestedBody(.explicitLittle).bytes
        let error = expectReadError(file, .unsupportedTransferSyntax, path: "(0002,0010)")
        let text = error?.description ?? ""
        #expect(!text.contains("\n") && !text.contains("\u{1B}") && !text.contains("1.2.3"), "\(text)")
        #expect(text.contains("not a UID"), "\(text)")
    }

    @Test func rejectsFileMetaWithNoElements() {
        let file = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + [0x08, 0x00, 0x20, 0x00]
            + Array("DA".utf8) + [8, 0] + Array("20240101".utf8)
        expectReadError(file, .invalidFileMeta, offset: 132)
    }

    // MARK: - Deflate

    static let deflatedUID = TransferSyntax.deflatedExplicitVRLittleEndian.uid

    /// The body deflated by the codec's own writer (a raw-data-set file in the deflated syntax is the bare stream).
    static func deflate(_ body: [UInt8]) throws -> [UInt8] {
        let plain = try Part10Reader.read(bytes: Sample.part10(.explicitLittle, body))
        var file = Part10File(layout: .rawDataSet, meta: DataSet(), dataSet: plain.dataSet,
                              transferSyntax: .deflatedExplicitVRLittleEndian)
        file.dataSetEncoding = .explicitLittle
        return try Part10Writer.encode(file)
    }

    @Test func rejectsCorruptDeflateStream() throws {
        let prefix = ByteBuilder.part10Prefix(transferSyntaxUID: Self.deflatedUID)
        // Block type 3 is invalid in raw deflate, and the bytes are no zlib stream either.
        expectReadError(prefix + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x11, 0x22, 0x33], .deflateFailed, offset: prefix.count)

        let stream = try Self.deflate(Sample.nestedBody(.explicitLittle).bytes)
        expectReadError(prefix + stream.dropLast(stream.count / 2), .deflateFailed, offset: prefix.count)
        var flipped = stream
        flipped[stream.count / 3] ^= 0xFF
        flipped[stream.count / 3 + 1] ^= 0x5A
        do {
            _ = try Part10Reader.read(bytes: prefix + flipped)
        } catch {
            #expect(!error.description.contains("\n"), "\(error)")
        }
    }

    @Test func refusesDeflateBombBeyondTheInflateLimit() throws {
        var b = ByteBuilder(.explicitLittle)
        b.element(Tag(0x0008, 0x0020), "DA", "20240101")
        b.element(Tag(0x7FE0, 0x0010), "OB", bytes: [UInt8](repeating: 0, count: 4 << 20))
        let stream = try Self.deflate(b.bytes)
        #expect(stream.count < 8 << 10, "4 MiB of zeros deflate to \(stream.count) bytes")
        let file = ByteBuilder.part10Prefix(transferSyntaxUID: Self.deflatedUID) + stream
        expectReadError(file, .deflateFailed, options: ReadOptions(maxInflatedSize: 1 << 20))
        let read = try Part10Reader.read(bytes: file, options: ReadOptions(maxInflatedSize: 5 << 20))
        #expect(read.dataSet[Tag(0x7FE0, 0x0010)]?.bytes?.count == 4 << 20)
    }

    /// The limit holds for small limits too, below the inflater's first buffer.
    @Test func refusesInflatingBeyondASmallLimit() throws {
        var b = ByteBuilder(.explicitLittle)
        b.element(Tag(0x7FE0, 0x0010), "OB", bytes: [UInt8](repeating: 7, count: 2000))
        let file = ByteBuilder.part10Prefix(transferSyntaxUID: Self.deflatedUID) + (try Self.deflate(b.bytes))
        expectReadError(file, .deflateFailed, options: ReadOptions(maxInflatedSize: 1000))
        expectRoundTrip(file, "within limit", options: ReadOptions(maxInflatedSize: 2012))
    }

    // MARK: - Random mutations

    /// Seeded random mutations of sample files: each either reads, and then writes back the same bytes, or throws
    /// a ``DICOMError`` with a one-line description. Deterministic: the same seed gives the same files.
    @Test(arguments: [Syntax.explicitLittle, .implicitLittle, .explicitBig])
    func randomMutationsReadAndRoundTripOrThrow(_ syntax: Syntax) throws {
        let base = Sample.part10(syntax, Sample.nestedBody(syntax.encoding).bytes)
        var random = SeededGenerator(seed: 0xD1C0_4D00 + UInt64(syntax.rawValue.count))
        var outcomes: [String: Int] = [:]
        let lies: [[UInt8]] = [[0xFF, 0xFF, 0xFF, 0xFF], [0xF0, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0], [0xFE, 0xFF, 0x00, 0xE0],
                               [0xFE, 0xFF, 0x0D, 0xE0], [0xFE, 0xFF, 0xDD, 0xE0], [0xFF, 0xFF, 0xFF, 0x7F]]
        let mutations = syntax == .explicitLittle ? 2000 : 700
        for round in 0..<mutations {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 132..<bytes.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
                case 3: bytes.remove(at: at)
                case 4: bytes.removeSubrange(at...)
                default:
                    let lie = lies[Int.random(in: 0..<lies.count, using: &random)]
                    for (k, byte) in lie.enumerated() where at + k < bytes.count { bytes[at + k] = byte }
                }
                if bytes.count <= 132 { break }
            }
            do {
                let read = try Part10Reader.read(bytes: bytes)
                let written = try Part10Writer.encode(read)
                if let at = firstDifference(bytes, written) {
                    Issue.record("mutation \(round) reads but writes back differently at offset \(at)")
                }
                outcomes["read", default: 0] += 1
            } catch {
                #expect(!error.description.contains("\n"), "mutation \(round): \(error)")
                #expect(error.offset != nil, "mutation \(round): \(error)")
                outcomes[error.code.name, default: 0] += 1
            }
        }
        #expect(outcomes.values.reduce(0, +) == mutations)
        #expect(outcomes.count > 3, "mutations reach several code paths: \(outcomes)")
    }
}
