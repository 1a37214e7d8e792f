import DICOMCodec
import DICOMCore

/// The Palette Color Lookup Tables of a PALETTE COLOR image (PS3.3 C.7.6.3.1.5–6; segmented, C.7.9.2), reduced
/// to 8 bits per entry: enough to *show* the image (text detection reads it as RGB), never used to write pixels.
public struct PaletteColorTable: Sendable {
    /// The most entries a table may have (a descriptor's 0 means 65,536).
    static let maximumEntries = 1 << 16
    private let red: [UInt8], green: [UInt8], blue: [UInt8]
    /// The stored pixel value mapped to the first entry; smaller values take the first, larger the last.
    private let firstMapped: Int

    /// Reads the three tables of `dataSet` (`order`: its byte order).
    /// - Throws: ``PixelDataError`` `.invalidDescription` naming the table that is missing, inconsistent, or an
    ///   indirect segmented one (not supported: the file is refused, never shown wrongly).
    public init(_ dataSet: DataSet, order: ByteOrder) throws(PixelDataError) {
        let signed = dataSet[Tag(0x0028, 0x0103)]?.uint16s(order).first == 1
        var first: Int?
        func table(_ colour: String, _ offset: UInt16) throws(PixelDataError) -> [UInt8] {
            let descriptorTag = Tag(0x0028, 0x1101 + offset)
            let descriptor = dataSet[descriptorTag]?.uint16s(order) ?? []
            guard descriptor.count == 3 else {
                throw PixelDataError(.invalidDescription, "\(colour) Palette Color Lookup Table Descriptor \(descriptorTag) is missing or not 3 values")
            }
            let entries = descriptor[0] == 0 ? Self.maximumEntries : Int(descriptor[0])
            let mapped = signed ? Int(Int16(bitPattern: descriptor[1])) : Int(descriptor[1])
            let bits = Int(descriptor[2])
            guard bits == 8 || bits == 16 else {
                throw PixelDataError(.invalidDescription, "\(colour) Palette Color Lookup Table Descriptor \(descriptorTag): \(bits) bits per entry (8 or 16 expected)")
            }
            guard first == nil || first == mapped else {
                throw PixelDataError(.invalidDescription, "the Palette Color Lookup Tables map different first values")
            }
            first = mapped
            let values: [UInt16]
            if let data = dataSet[Tag(0x0028, 0x1201 + offset)]?.bytes {
                values = bits == 8 && data.count < 2 * entries ? data.map(UInt16.init) : ValueEncoding.uint16s(data, order: order)
            } else if let segmented = dataSet[Tag(0x0028, 0x1221 + offset)]?.bytes {
                values = try Self.expand(segments: ValueEncoding.uint16s(segmented, order: order), colour: colour)
            } else {
                throw PixelDataError(.invalidDescription, "\(colour) Palette Color Lookup Table Data (0028,\(hex4(0x1201 + offset))) is missing")
            }
            guard values.count >= entries else {
                throw PixelDataError(.invalidDescription, "\(colour) Palette Color Lookup Table Data holds \(values.count) of \(entries) entries")
            }
            // 16-bit entries (and 8-bit ones stored in 16-bit words, as some writers do) to 8 bits.
            let shift: UInt16 = values.prefix(entries).contains { $0 > 0xFF } ? 8 : 0
            return values.prefix(entries).map { UInt8(truncatingIfNeeded: $0 >> shift) }
        }
        red = try table("Red", 0)
        green = try table("Green", 1)
        blue = try table("Blue", 2)
        guard red.count == green.count, green.count == blue.count else {
            throw PixelDataError(.invalidDescription, "the Palette Color Lookup Tables differ in length")
        }
        firstMapped = first ?? 0
    }

    /// A segmented table's entries (PS3.3 C.7.9.2): discrete and linear segments; at most 65,536 entries.
    static func expand(segments words: [UInt16], colour: String) throws(PixelDataError) -> [UInt16] {
        var values: [UInt16] = []
        var index = 0
        while index + 1 < words.count {
            let opcode = words[index], length = Int(words[index + 1])
            guard values.count + length <= maximumEntries else {
                throw PixelDataError(.invalidDescription, "Segmented \(colour) Palette Color Lookup Table Data expands beyond \(maximumEntries) entries")
            }
            switch opcode {
            case 0:   // discrete: the next `length` words are entries
                guard index + 2 + length <= words.count else {
                    throw PixelDataError(.invalidDescription, "Segmented \(colour) Palette Color Lookup Table Data: a discrete segment is cut short")
                }
                values += words[(index + 2)..<(index + 2 + length)]
                index += 2 + length
            case 1:   // linear: from the last entry to the next word, over `length` entries
                guard let start = values.last, index + 2 < words.count else {
                    throw PixelDataError(.invalidDescription, "Segmented \(colour) Palette Color Lookup Table Data: a linear segment without a start or an end")
                }
                let end = Int(words[index + 2])
                for step in stride(from: 1, through: length, by: 1) {
                    values.append(UInt16(Int(start) + (end - Int(start)) * step / length))
                }
                index += 3
            default:
                throw PixelDataError(.invalidDescription, "Segmented \(colour) Palette Color Lookup Table Data: segment type \(opcode) is not supported")
            }
        }
        return values
    }

    /// One frame of palette indices as interleaved 8-bit RGB.
    /// - Parameters:
    ///   - samples: the frame's stored values, little endian, Bits Allocated 8 or 16 (as a decoded frame holds them).
    ///   - description: the image; Samples per Pixel 1.
    /// - Returns: the RGB samples and their description (RGB, 8 bits, interleaved).
    /// - Throws: ``PixelDataError`` `.invalidDescription` when the frame is not 8- or 16-bit single samples.
    public func rgb(indices samples: [UInt8], description: PixelDescription) throws(PixelDataError) -> (samples: [UInt8], description: PixelDescription) {
        let width = description.bitsAllocated / 8
        guard description.samplesPerPixel == 1, width == 1 || width == 2, samples.count >= description.rows * description.columns * width else {
            throw PixelDataError(.invalidDescription, "PALETTE COLOR with \(description.samplesPerPixel) samples of \(description.bitsAllocated) bits cannot be shown")
        }
        let pixels = description.rows * description.columns
        let mask = description.bitsStored >= 16 ? 0xFFFF : (1 << description.bitsStored) - 1
        let signBit = description.pixelRepresentation == 1 ? 1 << (description.bitsStored - 1) : 0
        let last = red.count - 1
        var out = [UInt8](repeating: 0, count: pixels * 3)
        for pixel in 0..<pixels {
            var stored = width == 1 ? Int(samples[pixel]) : Int(samples[2 * pixel]) | Int(samples[2 * pixel + 1]) << 8
            stored = (stored >> (description.highBit + 1 - description.bitsStored)) & mask
            if signBit != 0, stored & signBit != 0 { stored -= 2 * signBit }
            let entry = min(max(stored - firstMapped, 0), last)
            out[3 * pixel] = red[entry]
            out[3 * pixel + 1] = green[entry]
            out[3 * pixel + 2] = blue[entry]
        }
        var rgb = description
        rgb.samplesPerPixel = 3
        rgb.bitsAllocated = 8
        rgb.bitsStored = 8
        rgb.highBit = 7
        rgb.pixelRepresentation = 0
        rgb.planarConfiguration = 0
        rgb.photometric = "RGB"
        return (out, rgb)
    }
}
