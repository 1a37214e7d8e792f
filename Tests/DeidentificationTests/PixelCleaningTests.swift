import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import PixelData
import Testing

/// `--clean-pixel-data` in the engine: rules and ultrasound regions blank every frame, 113101 and Burned In
/// Annotation NO only then, the fail safe refuses what nothing covers, and re-identification restores Pixel Data
/// byte for byte (native and encapsulated).
@Suite struct PixelCleaningTests {
    static let rleUID = "1.2.840.10008.1.2.5"

    /// A synthetic image: fake header, noise pixels; `regions` adds a Sequence of Ultrasound Regions.
    static func image(modality: String = "US", sopClass: String = "1.2.840.10008.5.1.4.1.1.6.1", rows: Int = 24,
                      columns: Int = 32, frames: Int = 3, bits: Int = 8, samples: Int = 1,
                      regions: [(UInt32, UInt32, UInt32, UInt32)]? = nil, extra: [DataElement] = [],
                      syntax: TransferSyntax = .explicitVRLittleEndian, withOffsetTable: Bool = true) throws -> Part10File {
        let order = syntax.byteOrder
        let description = PixelDescription(rows: rows, columns: columns, samplesPerPixel: samples, bitsAllocated: bits,
                                           bitsStored: bits, highBit: bits - 1, pixelRepresentation: 0, planarConfiguration: 0,
                                           photometric: samples == 3 ? "RGB" : "MONOCHROME2", numberOfFrames: frames)
        var state: UInt32 = 99
        let native = (0..<description.nativeFrameLength * frames).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16) | 1
        }
        let us = { (element: UInt16, value: Int) in
            DataElement(tag: Tag(0x0028, element), vr: .US, bytes: ValueEncoding.us([UInt16(value)], order: order))
        }
        var elements = [
            DataElement(tag: Tag(0x0008, 0x0016), vr: .UI, string: sopClass),
            DataElement(tag: Tag(0x0008, 0x0018), vr: .UI, string: "2.25.1234567"),
            DataElement(tag: Tag(0x0008, 0x0060), vr: .CS, string: modality),
            DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, string: "Fake^Patient"),
            DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, string: "FAKE-001"),
            DataElement(tag: Tag(0x0020, 0x000D), vr: .UI, string: "2.25.11"),
            DataElement(tag: Tag(0x0020, 0x000E), vr: .UI, string: "2.25.12"),
            us(0x0002, samples), DataElement(tag: Tag(0x0028, 0x0004), vr: .CS, string: description.photometric),
            DataElement(tag: Tag(0x0028, 0x0008), vr: .IS, string: "\(frames)"),
            us(0x0010, rows), us(0x0011, columns), us(0x0100, bits), us(0x0101, bits), us(0x0102, bits - 1), us(0x0103, 0),
        ] + extra
        if samples == 3 { elements.append(us(0x0006, 0)) }
        if let regions {
            let items = regions.map { r in
                Item(dataSet: DataSet([
                    DataElement(tag: Tag(0x0018, 0x6018), vr: .UL, bytes: ValueEncoding.ul(r.0, order: order)),
                    DataElement(tag: Tag(0x0018, 0x601A), vr: .UL, bytes: ValueEncoding.ul(r.1, order: order)),
                    DataElement(tag: Tag(0x0018, 0x601C), vr: .UL, bytes: ValueEncoding.ul(r.2, order: order)),
                    DataElement(tag: Tag(0x0018, 0x601E), vr: .UL, bytes: ValueEncoding.ul(r.3, order: order)),
                ]))
            }
            elements.append(DataElement(tag: Tag(0x0018, 0x6011), vr: .SQ, value: .sequence(SequenceOfItems(items: items))))
        }
        if syntax.isEncapsulated {
            var single = description
            single.numberOfFrames = 1
            let frameLength = description.nativeFrameLength
            let encoded = try (0..<frames).map { f in
                try RLECodec().encode(Array(native[f * frameLength..<(f + 1) * frameLength]), description: single)
            }
            var table: [UInt8] = []
            var position = 0
            for frame in encoded {
                table += ValueEncoding.ul(UInt32(position), order: .littleEndian)
                position += 8 + frame.count
            }
            let items = [(withOffsetTable ? table : [])[...]] + encoded.map { $0[...] }
            elements.append(DataElement(tag: .pixelData, vr: .OB, value: .fragments(Fragments(items: items))))
        } else {
            var bytes = native
            if bits == 16, order == .bigEndian {
                for i in stride(from: 0, to: bytes.count, by: 2) { bytes.swapAt(i, i + 1) }
            }
            elements.append(DataElement(tag: .pixelData, vr: bits > 8 ? .OW : .OB, bytes: bytes))
        }
        let meta = FileMeta.make(sopClassUID: sopClass, sopInstanceUID: "2.25.1234567", transferSyntax: syntax,
                                 implementation: ImplementationIdentity(classUID: "1.2.3", versionName: "TEST"))
        let dataSet = DataSet(elements.sorted { $0.tag < $1.tag })
        // Through bytes, so the file is what a reader sees.
        let file = Part10File(preamble: ArraySlice(repeating: 0, count: 128), meta: meta, dataSet: dataSet, transferSyntax: syntax)
        return try Part10Reader.read(bytes: try Part10Writer.encode(file))
    }

    static func deidentifier(rules: String = "", acceptUncleaned: Bool = false,
                             registry: FrameCodecRegistry = .builtIn) throws -> Deidentifier {
        let cleaning = PixelCleaningSettings(rules: try PixelRuleScript(text: rules, file: "test.script"),
                                             registry: registry, acceptUncleaned: acceptUncleaned)
        return Deidentifier(settings: DeidentificationSettings(policy: DeidentificationPolicy(cleanPixelData: cleaning),
                                                               keys: MappingKeys(secret: TestEnvironment.secret),
                                                               recipients: Recipients([try TestEnvironment.certificate()])))
    }

    static func codes(_ file: Part10File) -> [String] {
        (file.dataSet[Tag(0x0012, 0x0064)]?.sequence?.items ?? []).compactMap { $0.dataSet[Tag(0x0008, 0x0100)]?.string() }
    }

    /// De-identify, write, read, re-identify, write, read: the data set must come back byte for byte.
    static func expectRestored(_ original: Part10File, _ deidentified: Part10File) throws {
        let restored = try Reidentifier(key: try TestEnvironment.key(), certificate: try TestEnvironment.certificate())
            .reidentify(deidentified)
        var file = try Part10Reader.read(bytes: try Part10Writer.encode(restored.file))
        if !original.dataSet.contains(Tag(0x0012, 0x0062)) { file.dataSet.remove(Tag(0x0012, 0x0062)) }
        let expected = try TestEnvironment.dataSetBytes(original), actual = try TestEnvironment.dataSetBytes(file)
        #expect(expected == actual, "restored data set differs (sizes \(expected.count) vs \(actual.count))")
    }

    @Test func ultrasoundRegionsBlankEverythingOutsideInEveryFrame() throws {
        let original = try Self.image(regions: [(4, 6, 27, 21)], extra: [DataElement(tag: Tag(0x0028, 0x0301), vr: .CS, string: "YES")])
        let (out, _) = try TestEnvironment.deidentifyThroughBytes(original, with: try Self.deidentifier())
        #expect(Self.codes(out).contains("113101"))
        #expect(out.dataSet[Tag(0x0028, 0x0301)]?.string() == "NO")
        let before = try #require(original.dataSet[.pixelData]?.bytes), after = try #require(out.dataSet[.pixelData]?.bytes)
        for frame in 0..<3 {
            for y in 0..<24 {
                for x in 0..<32 {
                    let i = before.startIndex + frame * 768 + y * 32 + x
                    let inside = (4...27).contains(x) && (6...21).contains(y)
                    #expect(after[i - before.startIndex + after.startIndex] == (inside ? before[i] : 0), "frame \(frame) (\(x),\(y))")
                }
            }
        }
        try Self.expectRestored(original, out)
    }

    @Test func aRuleCleansAndTheRestoreIsExactInBigEndian() throws {
        let original = try Self.image(modality: "OT", sopClass: "1.2.840.10008.5.1.4.1.1.7", bits: 16,
                                      extra: [DataElement(tag: Tag(0x0028, 0x0301), vr: .CS, string: "YES")],
                                      syntax: .explicitVRBigEndian)
        let deidentifier = try Self.deidentifier(rules: "{ Modality.equals(\"OT\") } (0,0,32,5) (-8,-4,8,4)")
        let plan = try deidentifier.plan(original)
        #expect(plan.pixelCleaning?.frameLines.count == 3)
        #expect(plan.pixelCleaning?.frameLines.first?.contains("(0,0,32,5) (24,20,8,4)") == true)
        let (out, _) = try TestEnvironment.deidentifyThroughBytes(original, with: deidentifier)
        let after = try #require(out.dataSet[.pixelData]?.bytes)
        #expect(after.prefix(64).allSatisfy { $0 == 0 })
        #expect(Self.codes(out).contains("113101"))
        try Self.expectRestored(original, out)
    }

    @Test(arguments: [true, false])
    func rleFramesAreCleanedAndFragmentsRestored(_ withOffsetTable: Bool) throws {
        let original = try Self.image(frames: 4, samples: 3, regions: [(0, 10, 31, 23)],
                                      syntax: TransferSyntax.lookup(uid: Self.rleUID)!, withOffsetTable: withOffsetTable)
        let (out, _) = try TestEnvironment.deidentifyThroughBytes(original, with: try Self.deidentifier())
        guard case .fragments(let fragments) = out.dataSet[.pixelData]?.value else {
            Issue.record("no fragments")
            return
        }
        #expect(fragments.items.count == 5)
        #expect(fragments.items[0].count == (withOffsetTable ? 16 : 0))
        let description = try PixelDescription(out.dataSet, order: .littleEndian)
        var single = description
        single.numberOfFrames = 1
        let decoded = try RLECodec().decode(frame: Array(fragments.items[2]), description: single)
        #expect(decoded.prefix(10 * 32 * 3).allSatisfy { $0 == 0 }, "rows above the region blanked")
        #expect(decoded[10 * 32 * 3 + 5] != 0)
        #expect(Self.codes(out).contains("113101"))
        try Self.expectRestored(original, out)
    }

    @Test func uncoveredUltrasoundIsRefused() throws {
        let original = try Self.image()
        let error = #expect(throws: DeidentificationError.self) { try Self.deidentifier().deidentify(original) }
        #expect(error?.code == .pixelsNotCleaned)
        #expect("\(error.map { "\($0)" } ?? "")".contains("ultrasound"))
    }

    @Test(arguments: [
        ("OT", "1.2.840.10008.5.1.4.1.1.7", [String](), "Secondary Capture"),
        ("ES", "1.2.840.10008.5.1.4.1.1.77.1.1.1", [], "video"),
        ("XA", "1.2.840.10008.5.1.4.1.1.12.1", ["DERIVED", "SECONDARY"], "XA screen save"),
    ])
    func likelyBurnedInClassesAreRefused(_ modality: String, _ sopClass: String, _ imageType: [String], _ words: String) throws {
        var extra: [DataElement] = []
        if !imageType.isEmpty { extra.append(DataElement(tag: Tag(0x0008, 0x0008), vr: .CS, string: imageType.joined(separator: "\\"))) }
        let original = try Self.image(modality: modality, sopClass: sopClass, extra: extra)
        let error = #expect(throws: DeidentificationError.self) { try Self.deidentifier().deidentify(original) }
        #expect(error?.code == .pixelsNotCleaned)
        #expect("\(error.map { "\($0)" } ?? "")".contains(words))
    }

    @Test func acceptedUncleanedFilesKeepTheirPixelsAndDoNotClaim113101() throws {
        let original = try Self.image(extra: [DataElement(tag: Tag(0x0028, 0x0301), vr: .CS, string: "YES")])
        let result = try Self.deidentifier(acceptUncleaned: true).deidentify(original)
        #expect(!Self.codes(result.file).contains("113101"))
        #expect(result.file.dataSet[Tag(0x0028, 0x0301)]?.string() == "YES")
        #expect(result.file.dataSet[.pixelData]?.bytes.map(Array.init) == original.dataSet[.pixelData]?.bytes.map(Array.init))
        #expect(result.plan.notes.contains { $0.contains("accept-uncleaned-pixels") })
    }

    @Test func plainImagesAreLeftAloneWithoutClaim() throws {
        let original = try Self.image(modality: "CT", sopClass: "1.2.840.10008.5.1.4.1.1.2")
        let result = try Self.deidentifier().deidentify(original)
        #expect(!Self.codes(result.file).contains("113101"))
        #expect(result.plan.pixelCleaning?.claimsOption == false)
        #expect(!result.file.dataSet.contains(Tag(0x0028, 0x0301)))
    }

    @Test func anEncapsulatedSyntaxWithoutCodecIsRefusedNeverPassedThrough() throws {
        let original = try Self.image(regions: [(0, 0, 10, 10)], syntax: TransferSyntax.lookup(uid: Self.rleUID)!)
        let error = #expect(throws: DeidentificationError.self) {
            try Self.deidentifier(registry: FrameCodecRegistry(codecs: [:])).deidentify(original)
        }
        #expect(error?.code == .unsupportedPixelEncoding)
    }

    @Test func theIconImageGoesWhenTheImageIsCleaned() throws {
        let icon = DataElement(tag: Tag(0x0088, 0x0200), vr: .SQ, value: .sequence(SequenceOfItems(items: [
            Item(dataSet: DataSet([DataElement(tag: Tag(0x0028, 0x0010), vr: .US, bytes: ValueEncoding.us([8], order: .littleEndian))])),
        ])))
        let original = try Self.image(regions: [(4, 6, 27, 21)], extra: [icon])
        let (out, _) = try TestEnvironment.deidentifyThroughBytes(original, with: try Self.deidentifier())
        #expect(!out.dataSet.contains(Tag(0x0088, 0x0200)))
        try Self.expectRestored(original, out)
    }

    @Test func theEncryptedPayloadGrowsByThePatchBytesAndLittleMore() throws {
        let original = try Self.image(frames: 5, regions: [(0, 4, 31, 23)])
        let plain = try Self.image(frames: 5, regions: [(0, 4, 31, 23)], extra: [])
        var settings = DeidentificationSettings(keys: MappingKeys(secret: TestEnvironment.secret),
                                                recipients: Recipients([try TestEnvironment.certificate()]))
        let without = try Deidentifier(settings: settings).deidentify(plain)
        settings.policy.cleanPixelData = PixelCleaningSettings(rules: PixelRuleScript(rules: []))
        let with = try Deidentifier(settings: settings).deidentify(original)
        func payload(_ file: Part10File) -> Int {
            file.dataSet[Tag(0x0400, 0x0500)]?.sequence?.items.first?.dataSet[Tag(0x0400, 0x0520)]?.bytes?.count ?? 0
        }
        let patchBytes = 5 * 4 * 32
        let growth = payload(with.file) - payload(without.file)
        // Per patch: an item holding the creator, the frame, the run and the OB header (under 128 bytes).
        #expect(growth >= patchBytes && growth <= patchBytes + 5 * 128 + 128, "grew \(growth) for \(patchBytes) patch bytes")
    }

    /// A codec that changes every frame except those in `kept`, whose bytes it gives back as they were (as a
    /// real codec does when the blanked area was already blank).
    struct KeepingCodec: FrameCodec {
        var kept: [[UInt8]]
        func redact(frame: [UInt8], description: PixelDescription, rectangles: [PixelRectangle]) throws(PixelDataError) -> [UInt8] {
            kept.contains(frame) ? frame : Array(frame.dropLast(2)) + [0xAB, 0xCD]
        }
        func decode(frame: [UInt8], description: PixelDescription) throws(PixelDataError) -> [UInt8] { frame }
    }

    /// A frame the codec gives back unchanged keeps its fragments as they were, and nothing of it goes into the
    /// encrypted payload; the changed frames' original fragments do.
    @Test func encapsulatedFramesTheCodecLeavesAreKeptAsTheyWere() throws {
        let original = try Self.image(modality: "OT", sopClass: "1.2.840.10008.5.1.4.1.1.7", frames: 3,
                                      syntax: TransferSyntax.lookup(uid: Self.rleUID)!)
        guard case .fragments(let before) = original.dataSet[.pixelData]?.value else {
            Issue.record("no fragments")
            return
        }
        let frames = before.items.dropFirst().map { Array($0) }
        func deidentified(keeping kept: [[UInt8]]) throws -> Part10File {
            let codec = KeepingCodec(kept: kept)
            let deidentifier = try Self.deidentifier(rules: "{ Modality.equals(\"OT\") } (0,0,4,4)",
                                                     registry: FrameCodecRegistry(codecs: [Self.rleUID: codec]))
            return try TestEnvironment.deidentifyThroughBytes(original, with: deidentifier).0
        }
        func payload(_ file: Part10File) -> Int {
            file.dataSet[Tag(0x0400, 0x0500)]?.sequence?.items.first?.dataSet[Tag(0x0400, 0x0520)]?.bytes?.count ?? 0
        }
        let allChanged = try deidentified(keeping: [])
        let middleKept = try deidentified(keeping: [frames[1]])
        guard case .fragments(let after) = middleKept.dataSet[.pixelData]?.value else {
            Issue.record("no fragments")
            return
        }
        #expect(Array(after.items[2]) == frames[1], "the kept frame's fragment is the input's")
        #expect(Array(after.items[1]) != frames[0] && Array(after.items[3]) != frames[2])
        let saved = payload(allChanged) - payload(middleKept)
        #expect(saved >= frames[1].count, "the kept frame saves its \(frames[1].count) bytes (saved \(saved))")
        try Self.expectRestored(original, middleKept)
        try Self.expectRestored(original, allChanged)
    }

    /// `original` (encapsulated, empty Basic Offset Table) with an Extended Offset Table and its lengths, as
    /// pydicom's encapsulate_extended writes them.
    static func withExtendedOffsetTable(_ original: Part10File, offsets: [UInt64]? = nil) throws -> Part10File {
        guard case .fragments(let fragments)? = original.dataSet[.pixelData]?.value else { return original }
        let lengths = fragments.items.dropFirst().map { UInt64($0.count) }
        let starts = lengths.indices.map { index in lengths[..<index].reduce(0) { $0 + 8 + $1 } }
        var file = original
        file.dataSet.set(DataElement(tag: Tag(0x7FE0, 0x0001), vr: .OV, bytes: ValueEncoding.uv(offsets ?? starts, order: .littleEndian)))
        file.dataSet.set(DataElement(tag: Tag(0x7FE0, 0x0002), vr: .OV, bytes: ValueEncoding.uv(lengths, order: .littleEndian)))
        return try Part10Reader.read(bytes: try Part10Writer.encode(file))
    }

    /// Frames found by an Extended Offset Table are cleaned; the table and its lengths are written again for the
    /// new fragments, and re-identification restores all of it byte for byte.
    @Test func anExtendedOffsetTableIsFollowedAndRewritten() throws {
        let original = try Self.withExtendedOffsetTable(try Self.image(frames: 3, regions: [(0, 10, 31, 23)],
                                                                       syntax: TransferSyntax.lookup(uid: Self.rleUID)!,
                                                                       withOffsetTable: false))
        let (out, _) = try TestEnvironment.deidentifyThroughBytes(original, with: try Self.deidentifier())
        guard case .fragments(let fragments) = out.dataSet[.pixelData]?.value else {
            Issue.record("no fragments")
            return
        }
        #expect(fragments.items[0].isEmpty, "the Basic Offset Table stays empty")
        let frames = fragments.items.dropFirst().map { Array($0) }
        let offsets = ValueEncoding.uint64s(try #require(out.dataSet[Tag(0x7FE0, 0x0001)]?.bytes), order: .littleEndian)
        let lengths = ValueEncoding.uint64s(try #require(out.dataSet[Tag(0x7FE0, 0x0002)]?.bytes), order: .littleEndian)
        #expect(offsets == frames.indices.map { index in UInt64(frames[..<index].reduce(0) { $0 + 8 + $1.count }) })
        #expect(lengths == frames.map { UInt64($0.count) })
        let description = try PixelDescription(out.dataSet, order: .littleEndian)
        var single = description
        single.numberOfFrames = 1
        for frame in frames {
            #expect(try RLECodec().decode(frame: frame, description: single).prefix(10 * 32).allSatisfy { $0 == 0 })
        }
        #expect(Self.codes(out).contains("113101"))
        try Self.expectRestored(original, out)
    }

    @Test func anExtendedOffsetTableThatDoesNotFitIsRefused() throws {
        let image = try Self.image(frames: 3, regions: [(0, 10, 31, 23)], syntax: TransferSyntax.lookup(uid: Self.rleUID)!,
                                   withOffsetTable: false)
        for offsets: [UInt64] in [[0, 8], [0, 3, 8], [0, 1 << 40, 1 << 41]] {
            let file = try Self.withExtendedOffsetTable(image, offsets: offsets)
            let error = #expect(throws: DeidentificationError.self) { try Self.deidentifier().deidentify(file) }
            #expect(error?.code == .invalidPixelData)
            #expect("\(error.map { "\($0)" } ?? "")".contains("Extended Offset Table"))
        }
    }
}
