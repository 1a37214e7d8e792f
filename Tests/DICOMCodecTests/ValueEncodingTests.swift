import DICOMCodec
import DICOMCore
import Testing

/// The typed value encoders and decoders, byte for byte, and the shared padding and hex helpers.
struct ValueEncodingTests {
    @Test func encodesUL() {
        #expect(ValueEncoding.ul(0x0102_0304, order: .littleEndian) == [0x04, 0x03, 0x02, 0x01])
        #expect(ValueEncoding.ul(0x0102_0304, order: .bigEndian) == [0x01, 0x02, 0x03, 0x04])
        #expect(ValueEncoding.ul(1, 0xFFFF_FFFF, order: .littleEndian) == [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(ValueEncoding.ul(order: .littleEndian) == [])
    }

    @Test func encodesUS() {
        #expect(ValueEncoding.us([0x0102, 0xFF00], order: .littleEndian) == [0x02, 0x01, 0x00, 0xFF])
        #expect(ValueEncoding.us([0x0102, 0xFF00], order: .bigEndian) == [0x01, 0x02, 0xFF, 0x00])
    }

    @Test func encodesAT() {
        let tags = [Tag(0x0010, 0x0020), Tag(0x7FE0, 0x0010)]
        #expect(ValueEncoding.at(tags, order: .littleEndian) == [0x10, 0x00, 0x20, 0x00, 0xE0, 0x7F, 0x10, 0x00])
        #expect(ValueEncoding.at(tags, order: .bigEndian) == [0x00, 0x10, 0x00, 0x20, 0x7F, 0xE0, 0x00, 0x10])
    }

    @Test func encodesUIWithOneNUL() {
        #expect(ValueEncoding.ui("1.2.3") == Array("1.2.3".utf8) + [0])
        #expect(ValueEncoding.ui("1.23") == Array("1.23".utf8))
        #expect(ValueEncoding.ui("") == [])
    }

    @Test func decodesWhatItEncodes() {
        for order in [ByteOrder.littleEndian, .bigEndian] {
            let words: [UInt16] = [0, 1, 0x8000, 0xFFFF]
            #expect(ValueEncoding.uint16s(ValueEncoding.us(words, order: order)[...], order: order) == words)
            let tags = [Tag(0x0008, 0x0018), Tag(0x0029, 0x1010)]
            #expect(ValueEncoding.tags(ValueEncoding.at(tags, order: order)[...], order: order) == tags)
            let element = DataElement(tag: Tag(0x0400, 0x0550), vr: .AT, bytes: ValueEncoding.at(tags, order: order))
            #expect(element.tags(order) == tags)
        }
        // Incomplete trailing words and tags are ignored; slices keep their file offsets.
        let bytes: [UInt8] = [0xAA, 0x10, 0x00, 0x20, 0x00, 0x01, 0x02, 0x03]
        #expect(ValueEncoding.uint16s(bytes[1...], order: .littleEndian) == [0x0010, 0x0020, 0x0201])
        #expect(ValueEncoding.tags(bytes[1...], order: .littleEndian) == [Tag(0x0010, 0x0020)])
        #expect(ValueEncoding.uint16(bytes[...], at: 5, order: .bigEndian) == 0x0102)
        #expect(ValueEncoding.uid(ValueEncoding.ui("1.2.3")[...]) == "1.2.3")
        #expect(ValueEncoding.uid(Array(" 1.2.3  ".utf8)[...]) == "1.2.3")
    }

    @Test func padsAndTrims() {
        #expect(ValuePadding.padded(Array("ABC".utf8), for: .LO) == Array("ABC ".utf8))
        #expect(ValuePadding.padded(Array("1.2".utf8), for: .UI) == Array("1.2".utf8) + [0])
        #expect(ValuePadding.padded([1, 2, 3], for: .OB) == [1, 2, 3, 0])
        #expect(ValuePadding.padded([1, 2], for: .OB) == [1, 2])
        #expect(Array(ValuePadding.trimmingTrailing([0x41, 0x20, 0x00, 0x20] as [UInt8])) == [0x41])
        #expect(Array(ValuePadding.trimmingTrailing([0x20, 0x41] as [UInt8])) == [0x20, 0x41])
        #expect(ValuePadding.trimmingTrailing([0x20, 0x00] as [UInt8]).isEmpty)
        #expect(String(ValuePadding.trimmingTrailing("SIEMENS \0".utf8)) == "SIEMENS")
    }

    @Test func formatsHex() {
        #expect(hex4(0x00AF) == "00AF")
        #expect(hex4(0xFFFE) == "FFFE")
        #expect(hex2(0x0A) == "0A")
        #expect(hex2(0xF0) == "F0")
        #expect(Tag(0x0008, 0x103E).description == "(0008,103E)")
    }

    @Test func convertsByteOrderWordByWord() throws {
        let element = DataElement(tag: Tag(0x0028, 0x0010), vr: .UL, bytes: ValueEncoding.ul(0x0102_0304, 5, order: .littleEndian))
        let converted = try element.converted(from: .littleEndian, to: .bigEndian)
        #expect(converted.bytes.map(Array.init) == ValueEncoding.ul(0x0102_0304, 5, order: .bigEndian))
    }
}
