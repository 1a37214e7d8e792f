import DICOMCodec
import DICOMCore
import PixelData
import Testing

/// The Image Pixel attributes read and checked before any pixel is touched.
@Suite struct PixelDescriptionTests {
    static func dataSet(_ values: [(UInt16, UInt16)], photometric: String = "MONOCHROME2", frames: String? = nil) -> DataSet {
        var elements = values.map { DataElement(tag: Tag(0x0028, $0.0), vr: .US, bytes: ValueEncoding.us([$0.1], order: .littleEndian)) }
        elements.append(DataElement(tag: Tag(0x0028, 0x0004), vr: .CS, string: photometric))
        if let frames { elements.append(DataElement(tag: Tag(0x0028, 0x0008), vr: .IS, string: frames)) }
        return DataSet(elements.sorted { $0.tag < $1.tag })
    }

    @Test func readsAMultiFrameColourImage() throws {
        let ds = Self.dataSet([(0x0002, 3), (0x0006, 1), (0x0010, 480), (0x0011, 640), (0x0100, 8), (0x0101, 8), (0x0102, 7), (0x0103, 0)],
                              photometric: "RGB", frames: "12 ")
        let description = try PixelDescription(ds, order: .littleEndian)
        #expect(description.rows == 480 && description.columns == 640 && description.numberOfFrames == 12)
        #expect(description.planarConfiguration == 1)
        #expect(description.nativeFrameLength == 480 * 640 * 3)
    }

    @Test func frameLengthsOfPackedAndSubsampledLayouts() throws {
        let oneBit = try PixelDescription(Self.dataSet([(0x0002, 1), (0x0010, 5), (0x0011, 3), (0x0100, 1)]), order: .littleEndian)
        #expect(oneBit.nativeFrameLength == 2, "15 bits pack into 2 bytes")
        let ybr = try PixelDescription(Self.dataSet([(0x0002, 3), (0x0010, 2), (0x0011, 4), (0x0100, 8)], photometric: "YBR_FULL_422"),
                                       order: .littleEndian)
        #expect(ybr.nativeFrameLength == 16)
    }

    /// Attribute lists that cannot describe an image, and the words the refusal must use.
    static let invalid: [(values: [(UInt16, UInt16)], expected: String)] = [
        ([(0x0002, 1), (0x0011, 4), (0x0100, 8)], "Rows"),
        ([(0x0002, 2), (0x0010, 4), (0x0011, 4), (0x0100, 8)], "Samples per Pixel 2"),
        ([(0x0002, 1), (0x0010, 4), (0x0011, 4), (0x0100, 12)], "Bits Allocated 12"),
        ([(0x0002, 1), (0x0010, 4), (0x0011, 4), (0x0100, 8), (0x0101, 9)], "Bits Stored 9"),
        ([(0x0002, 1), (0x0010, 0), (0x0011, 4), (0x0100, 8)], "at least 1"),
    ]

    @Test(arguments: 0..<5)
    func refusesWhatCannotBeAnImage(_ index: Int) {
        let (values, expected) = Self.invalid[index]
        let error = #expect(throws: PixelDataError.self) { try PixelDescription(Self.dataSet(values), order: .littleEndian) }
        #expect(error?.code == .invalidDescription)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(expected), "\(text)")
    }

    @Test func rectanglesAreClippedToTheImage() {
        #expect(PixelRectangle(x: -5, y: 10, width: 20, height: 100).clipped(columns: 64, rows: 64)
                == PixelRectangle(x: 0, y: 10, width: 15, height: 54))
        #expect(PixelRectangle(x: 70, y: 0, width: 5, height: 5).clipped(columns: 64, rows: 64) == nil)
        #expect(PixelRectangle(x: 1, y: 2, width: 3, height: 4).description == "(1,2,3,4)")
    }
}
