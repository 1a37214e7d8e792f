import PixelData

/// One decoded frame: its samples as native little-endian pixel data (PS3.5 8.2), as
/// ``PixelData/FrameCodec/decode(frame:description:)`` returns them for encapsulated frames and as native Pixel
/// Data holds them, with the description that says how to read them.
///
/// Bits Allocated 1, 8, 16 or 32; MONOCHROME1, MONOCHROME2, RGB and the YBR forms, interleaved or by plane.
/// YBR_FULL_422 comes either as native data holds it (two luminance samples and one chrominance pair per two
/// pixels) or as the JPEG decoders return it (upsampled: three samples per pixel); the length says which.
public struct DecodedFrame: Sendable {
    /// The samples, little endian.
    public var samples: [UInt8]
    /// The image; ``PixelData/PixelDescription/numberOfFrames`` is not used.
    public var description: PixelDescription

    /// - Parameters:
    ///   - samples: one frame's samples, little endian.
    ///   - description: what the Image Pixel Module says.
    public init(samples: [UInt8], description: PixelDescription) {
        self.samples = samples
        self.description = description
    }

    /// Frame `frame` (0-based) of a native Pixel Data value in byte order `order`.
    /// - Throws: ``TextDetectionError`` `.unreadableFrame` when the value is shorter than the frame needs.
    public init(nativePixelData value: ArraySlice<UInt8>, frame: Int, description: PixelDescription,
                littleEndian: Bool = true) throws(TextDetectionError) {
        let length = description.nativeFrameLength
        guard description.bitsAllocated != 1 else {
            // Bit-packed frames follow each other bit by bit: unpack the frame's bits to start at bit 0.
            let pixels = description.rows * description.columns * description.samplesPerPixel
            let firstBit = frame * pixels
            guard frame >= 0, (firstBit + pixels + 7) / 8 <= value.count else {
                throw TextDetectionError(.unreadableFrame, "frame \(frame + 1): Pixel Data is shorter than the frame needs")
            }
            var bits = [UInt8](repeating: 0, count: (pixels + 7) / 8)
            let base = value.startIndex
            for i in 0..<pixels where value[base + (firstBit + i) / 8] & (1 << ((firstBit + i) % 8)) != 0 {
                bits[i / 8] |= 1 << (i % 8)
            }
            self.init(samples: bits, description: description)
            return
        }
        let start = value.startIndex + frame * length
        guard frame >= 0, start + length <= value.endIndex else {
            throw TextDetectionError(.unreadableFrame, "frame \(frame + 1): Pixel Data is shorter than the frame needs")
        }
        var samples = Array(value[start..<start + length])
        let width = description.bitsAllocated / 8
        if !littleEndian, width > 1 {
            for i in stride(from: 0, to: samples.count - width + 1, by: width) { samples[i..<i + width].reverse() }
        }
        self.init(samples: samples, description: description)
    }
}
