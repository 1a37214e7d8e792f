import DICOMCodec
import DICOMCore
import PixelData
import Testing

/// PALETTE COLOR frames shown through their tables (text detection reads them as RGB): plain and segmented
/// tables, 8- and 16-bit entries, the first mapped value, and the tables it refuses rather than show wrongly.
@Suite struct PaletteColorTableTests {
    static func words(_ values: [UInt16]) -> [UInt8] { ValueEncoding.us(values, order: .littleEndian) }

    /// A data set with three tables built by `table(offset)`: (descriptor, data tag element, data bytes).
    static func dataSet(_ table: (UInt16) -> (descriptor: [UInt16], dataElement: UInt16, data: [UInt8])) -> DataSet {
        var elements: [DataElement] = []
        for offset: UInt16 in 0...2 {
            let made = table(offset)
            elements.append(DataElement(tag: Tag(0x0028, 0x1101 + offset), vr: .US, bytes: words(made.descriptor)))
            elements.append(DataElement(tag: Tag(0x0028, made.dataElement + offset), vr: .OW, bytes: made.data))
        }
        return DataSet(elements.sorted { $0.tag < $1.tag })
    }

    static let image = PixelDescription(rows: 1, columns: 4, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8, highBit: 7,
                                        pixelRepresentation: 0, planarConfiguration: 0, photometric: "PALETTE COLOR", numberOfFrames: 1)

    @Test func plainSixteenBitTablesMapEachIndexToItsEntryScaledToEightBits() throws {
        // 4 entries from stored value 10; red rises, green falls, blue constant.
        let table = try PaletteColorTable(Self.dataSet { offset in
            let data: [UInt16] = [[0x0000, 0x4000, 0x8000, 0xFF00], [0xFF00, 0x8000, 0x4000, 0x0000], [0x1200, 0x1200, 0x1200, 0x1200]][Int(offset)]
            return ([4, 10, 16], 0x1201, Self.words(data))
        }, order: .littleEndian)
        // Below the first mapped value takes the first entry, beyond the last the last.
        let shown = try table.rgb(indices: [10, 12, 3, 200], description: Self.image)
        #expect(shown.samples == [0x00, 0xFF, 0x12, 0x80, 0x40, 0x12, 0x00, 0xFF, 0x12, 0xFF, 0x00, 0x12])
        #expect(shown.description.photometric == "RGB" && shown.description.samplesPerPixel == 3 && shown.description.bitsAllocated == 8)
    }

    @Test func eightBitTablesPackedInBytesAreReadAsBytes() throws {
        let table = try PaletteColorTable(Self.dataSet { _ in ([4, 0, 8], 0x1201, [1, 2, 3, 4]) }, order: .littleEndian)
        #expect(try table.rgb(indices: [0, 1, 2, 3], description: Self.image).samples == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
    }

    @Test func segmentedTablesExpandDiscreteAndLinearSegments() throws {
        // Discrete [0], then linear to 0xFF00 over 3 entries: 0, 0x5500, 0xAA00, 0xFF00.
        let segments = Self.words([0, 1, 0x0000, 1, 3, 0xFF00])
        let table = try PaletteColorTable(Self.dataSet { _ in ([4, 0, 16], 0x1221, segments) }, order: .littleEndian)
        #expect(try table.rgb(indices: [0, 1, 2, 3], description: Self.image).samples == [0, 0, 0, 0x55, 0x55, 0x55, 0xAA, 0xAA, 0xAA, 0xFF, 0xFF, 0xFF])
        let longer = Self.words([0, 2, 0x0700, 0x0900, 1, 2, 0x0B00])
        let second = try PaletteColorTable(Self.dataSet { _ in ([4, 0, 16], 0x1221, longer) }, order: .littleEndian)
        #expect(try second.rgb(indices: [0, 1, 2, 3], description: Self.image).samples == [7, 7, 7, 9, 9, 9, 10, 10, 10, 11, 11, 11])
    }

    @Test func refusesWhatItCannotShowFaithfully() {
        // An indirect segment, a table shorter than its descriptor, a missing table, a segmented table without end.
        let cases: [DataSet] = [
            Self.dataSet { _ in ([4, 0, 16], 0x1221, Self.words([0, 1, 5, 2, 1, 0, 0])) },
            Self.dataSet { _ in ([8, 0, 16], 0x1201, Self.words([1, 2, 3])) },
            DataSet([]),
            Self.dataSet { _ in ([2, 0, 16], 0x1221, Self.words([0, 1, 5, 1, 3])) },
        ]
        for dataSet in cases {
            #expect(throws: PixelDataError.self) { try PaletteColorTable(dataSet, order: .littleEndian) }
        }
    }
}

