import DICOMCore

/// Small synthetic 8-bit MONOCHROME2 images as Part 10 bytes (Explicit VR Little Endian), with fake header values
/// and deterministic noise pixels (never 0), for the pixel cleaning tests of the jobs and the commands.
public struct SyntheticImage: Sendable {
    public var modality = "US"
    public var sopClassUID = "1.2.840.10008.5.1.4.1.1.6.1"
    public var sopInstanceUID = "2.25.4242"
    public var rows = 16
    public var columns = 20
    public var frames = 2
    /// Sequence of Ultrasound Regions (0018,6011): Min X0, Min Y0, Max X1, Max Y1 of each region.
    public var regions: [(UInt32, UInt32, UInt32, UInt32)]?
    /// Burned In Annotation (0028,0301), when given.
    public var burnedInAnnotation: String?
    /// Bytes of Pixel Data to write instead of rows x columns x frames of noise (for truncated data).
    public var pixelDataLength: Int?

    public init() {}

    /// The pixel values as written.
    public var pixels: [UInt8] {
        var state: UInt32 = 7
        return (0..<(pixelDataLength ?? rows * columns * frames)).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16) | 1
        }
    }

    /// The file.
    public var bytes: [UInt8] {
        func text(_ value: String) -> String { value.utf8.count % 2 == 1 ? value + " " : value }
        func uid(_ value: String) -> String { value.utf8.count % 2 == 1 ? value + "\0" : value }
        var b = ByteBuilder(.explicitLittle)
        b.element(Tag(0x0008, 0x0016), "UI", uid(sopClassUID))
        b.element(Tag(0x0008, 0x0018), "UI", uid(sopInstanceUID))
        b.element(Tag(0x0008, 0x0060), "CS", text(modality))
        b.element(Tag(0x0010, 0x0010), "PN", text("Fake^Patient"))
        b.element(Tag(0x0010, 0x0020), "LO", text("FAKE-42"))
        if let regions {
            let bodies = regions.map { r -> [UInt8] in
                var item = ByteBuilder(.explicitLittle)
                item.element(Tag(0x0018, 0x6018), "UL", uint32s: [r.0])
                item.element(Tag(0x0018, 0x601A), "UL", uint32s: [r.1])
                item.element(Tag(0x0018, 0x601C), "UL", uint32s: [r.2])
                item.element(Tag(0x0018, 0x601E), "UL", uint32s: [r.3])
                return item.bytes
            }
            b.sequence(Tag(0x0018, 0x6011), definedLengthItems: bodies)
        }
        b.element(Tag(0x0020, 0x000D), "UI", uid("2.25.11"))
        b.element(Tag(0x0020, 0x000E), "UI", uid("2.25.12"))
        b.element(Tag(0x0028, 0x0002), "US", uint16s: [1])
        b.element(Tag(0x0028, 0x0004), "CS", "MONOCHROME2 ")
        b.element(Tag(0x0028, 0x0008), "IS", text("\(frames)"))
        b.element(Tag(0x0028, 0x0010), "US", uint16s: [UInt16(rows)])
        b.element(Tag(0x0028, 0x0011), "US", uint16s: [UInt16(columns)])
        b.element(Tag(0x0028, 0x0100), "US", uint16s: [8])
        b.element(Tag(0x0028, 0x0101), "US", uint16s: [8])
        b.element(Tag(0x0028, 0x0102), "US", uint16s: [7])
        b.element(Tag(0x0028, 0x0103), "US", uint16s: [0])
        if let burnedInAnnotation { b.element(Tag(0x0028, 0x0301), "CS", text(burnedInAnnotation)) }
        var pixels = self.pixels
        if pixels.count % 2 == 1 { pixels.append(0) }
        b.element(Tag(0x7FE0, 0x0010), "OB", bytes: pixels)
        return ByteBuilder.part10Prefix(transferSyntaxUID: "1.2.840.10008.1.2.1") + b.bytes
    }
}
