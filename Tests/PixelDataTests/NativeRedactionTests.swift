import DICOMCore
import PixelData
import Testing

/// Native blanking: black inside the rectangles, nothing else touched, and the patches restore every byte.
@Suite struct NativeRedactionTests {
    /// A layout of the design: bits, sign, samples, planar configuration, photometric, frames.
    struct Layout: Sendable, CustomStringConvertible {
        var bits: Int, stored: Int, signed: Int, samples: Int, planar: Int, photometric: String, frames: Int
        var order: ByteOrder = .littleEndian
        var columns = 10
        var description: String { "\(photometric) \(bits)/\(stored) s\(signed) spp\(samples) pc\(planar) x\(frames) \(order)" }

        var pixelDescription: PixelDescription {
            PixelDescription(rows: 7, columns: columns, samplesPerPixel: samples, bitsAllocated: bits, bitsStored: stored,
                             highBit: stored - 1, pixelRepresentation: signed, planarConfiguration: planar,
                             photometric: photometric, numberOfFrames: frames)
        }
    }

    static let layouts: [Layout] = [
        Layout(bits: 1, stored: 1, signed: 0, samples: 1, planar: 0, photometric: "MONOCHROME2", frames: 3),
        Layout(bits: 1, stored: 1, signed: 0, samples: 1, planar: 0, photometric: "MONOCHROME2", frames: 2, columns: 16),
        Layout(bits: 8, stored: 8, signed: 0, samples: 1, planar: 0, photometric: "MONOCHROME2", frames: 1),
        Layout(bits: 8, stored: 8, signed: 1, samples: 1, planar: 0, photometric: "MONOCHROME1", frames: 2),
        Layout(bits: 16, stored: 12, signed: 0, samples: 1, planar: 0, photometric: "MONOCHROME2", frames: 1),
        Layout(bits: 16, stored: 12, signed: 1, samples: 1, planar: 0, photometric: "MONOCHROME2", frames: 3),
        Layout(bits: 16, stored: 16, signed: 1, samples: 1, planar: 0, photometric: "MONOCHROME1", frames: 1, order: .bigEndian),
        Layout(bits: 16, stored: 16, signed: 0, samples: 1, planar: 0, photometric: "MONOCHROME2", frames: 2, order: .bigEndian),
        Layout(bits: 32, stored: 32, signed: 1, samples: 1, planar: 0, photometric: "MONOCHROME2", frames: 1),
        Layout(bits: 32, stored: 24, signed: 0, samples: 1, planar: 0, photometric: "MONOCHROME1", frames: 2, order: .bigEndian),
        Layout(bits: 8, stored: 8, signed: 0, samples: 3, planar: 0, photometric: "RGB", frames: 2),
        Layout(bits: 8, stored: 8, signed: 0, samples: 3, planar: 1, photometric: "RGB", frames: 2),
        Layout(bits: 16, stored: 16, signed: 0, samples: 3, planar: 1, photometric: "RGB", frames: 1, order: .bigEndian),
        Layout(bits: 8, stored: 8, signed: 0, samples: 3, planar: 0, photometric: "YBR_FULL", frames: 1),
        Layout(bits: 8, stored: 8, signed: 0, samples: 3, planar: 1, photometric: "YBR_FULL", frames: 2),
        Layout(bits: 8, stored: 8, signed: 0, samples: 3, planar: 0, photometric: "YBR_FULL_422", frames: 2),
        Layout(bits: 8, stored: 8, signed: 0, samples: 1, planar: 0, photometric: "PALETTE COLOR", frames: 1),
        Layout(bits: 16, stored: 16, signed: 0, samples: 1, planar: 0, photometric: "PALETTE COLOR", frames: 2),
    ]

    static let rectangles = [PixelRectangle(x: 1, y: 1, width: 3, height: 2), PixelRectangle(x: 2, y: 2, width: 20, height: 9),
                             PixelRectangle(x: -4, y: 5, width: 5, height: 1)]

    /// Deterministic noise: no pixel happens to be black already.
    static func noise(_ count: Int, seed: UInt32 = 12345) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
    }

    @Test(arguments: layouts)
    func blankingThenRestoringGivesTheOriginalBytes(_ layout: Layout) throws {
        let d = layout.pixelDescription
        let original = Self.noise(NativeRedaction.requiredLength(d) + 1)  // odd value padded to even
        var bytes = original
        var patches: [PixelPatch] = []
        for frame in 0..<d.numberOfFrames {
            patches += try NativeRedaction.redact(&bytes, frame: frame, description: d, rectangles: Self.rectangles,
                                                  order: layout.order)
        }
        #expect(bytes != original)
        #expect(bytes.last == original.last, "padding byte untouched")
        try NativeRedaction.restore(&bytes, patches: patches)
        #expect(bytes == original)
    }

    @Test(arguments: layouts)
    func pixelsInsideAreBlackAndOutsideUnchanged(_ layout: Layout) throws {
        let d = layout.pixelDescription
        let original = Self.noise(NativeRedaction.requiredLength(d))
        var bytes = original
        let frame = d.numberOfFrames - 1
        let rectangle = PixelRectangle(x: 2, y: 3, width: 4, height: 2)
        _ = try NativeRedaction.redact(&bytes, frame: frame, description: d, rectangles: [rectangle], order: layout.order)
        let before = SampleReader(bytes: original, description: d, order: layout.order)
        let after = SampleReader(bytes: bytes, description: d, order: layout.order)
        for f in 0..<d.numberOfFrames {
            for y in 0..<d.rows {
                for x in 0..<d.columns {
                    // x 2..<6 covers whole YBR_FULL_422 pixel pairs, so the same test holds for it.
                    let inside = f == frame && (3..<5).contains(y) && (2..<6).contains(x)
                    for s in 0..<d.samplesPerPixel {
                        let value = after.sample(frame: f, x: x, y: y, sample: s)
                        if inside {
                            #expect(value == Self.black(d, sample: s), "frame \(f) (\(x),\(y)) sample \(s)")
                        } else {
                            #expect(value == before.sample(frame: f, x: x, y: y, sample: s), "frame \(f) (\(x),\(y)) sample \(s)")
                        }
                    }
                }
            }
        }
    }

    static func black(_ d: PixelDescription, sample: Int) -> Int64 {
        let signed = d.pixelRepresentation == 1
        switch d.photometric {
        case "MONOCHROME1": return signed ? (1 << (d.bitsStored - 1)) - 1 : (1 << d.bitsStored) - 1
        case "MONOCHROME2": return signed ? -(1 << (d.bitsStored - 1)) : 0
        case "YBR_FULL", "YBR_FULL_422": return sample == 0 ? 0 : 128
        default: return 0
        }
    }

    @Test func yCbCr422BlanksWholePixelPairs() throws {
        let d = PixelDescription(rows: 1, columns: 4, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, highBit: 7,
                                 pixelRepresentation: 0, planarConfiguration: 0, photometric: "YBR_FULL_422", numberOfFrames: 1)
        var bytes: [UInt8] = [10, 11, 12, 13, 20, 21, 22, 23]
        _ = try NativeRedaction.redact(&bytes, frame: 0, description: d, rectangles: [PixelRectangle(x: 1, y: 0, width: 1, height: 1)])
        #expect(bytes == [0, 0, 128, 128, 20, 21, 22, 23])
    }

    @Test func truncatedPixelDataIsRefused() {
        let d = Self.layouts[4].pixelDescription
        var bytes = [UInt8](repeating: 1, count: d.nativeFrameLength - 2)
        let error = #expect(throws: PixelDataError.self) {
            try NativeRedaction.redact(&bytes, frame: 0, description: d, rectangles: Self.rectangles)
        }
        #expect(error?.code == .truncated)
    }

    @Test(arguments: [(8, 2, 4, 2), (0, 1, Int.max / 2, 3), (Int.max - 1, 2, 0, 1), (0, Int.max / 2, 0, 4)])
    func patchesThatDoNotFitAreRefused(_ run: (Int, Int, Int, Int)) {
        var bytes = [UInt8](repeating: 0, count: 10)
        let saved = [UInt8](repeating: 1, count: max(0, min(64, run.1 &* run.3)))
        let patch = PixelPatch(frame: 0, content: .native(offset: run.0, length: run.1, stride: run.2, count: run.3, bytes: saved))
        let error = #expect(throws: PixelDataError.self) { try NativeRedaction.restore(&bytes, patches: [patch]) }
        #expect(error?.code == .invalidPatch)
    }

    @Test func oddColumnsOfYCbCr422AreRefused() {
        let d = PixelDescription(rows: 2, columns: 3, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, highBit: 7,
                                 pixelRepresentation: 0, planarConfiguration: 0, photometric: "YBR_FULL_422", numberOfFrames: 1)
        var bytes = [UInt8](repeating: 9, count: 64)
        #expect(throws: PixelDataError.self) {
            try NativeRedaction.redact(&bytes, frame: 0, description: d, rectangles: [PixelRectangle(x: 0, y: 0, width: 3, height: 2)])
        }
    }
}

/// Reads one sample of native pixel data the slow, obvious way (for checking the blanking).
struct SampleReader {
    var bytes: [UInt8]
    var description: PixelDescription
    var order: ByteOrder

    func sample(frame: Int, x: Int, y: Int, sample: Int) -> Int64 {
        let d = description
        let pixel = y * d.columns + x
        if d.bitsAllocated == 1 {
            let bit = frame * d.rows * d.columns + pixel
            return Int64(bytes[bit / 8] >> UInt8(bit % 8) & 1)
        }
        let size = d.bitsAllocated / 8
        var offset: Int
        if d.photometric == "YBR_FULL_422" {
            let pair = (y * d.columns + x) / 2
            let index = sample == 0 ? x % 2 : sample + 1
            offset = frame * d.nativeFrameLength + (pair * 4 + index) * size
        } else if d.planarConfiguration == 1 && d.samplesPerPixel == 3 {
            offset = frame * d.nativeFrameLength + (sample * d.rows * d.columns + pixel) * size
        } else {
            offset = frame * d.nativeFrameLength + (pixel * d.samplesPerPixel + sample) * size
        }
        var word: UInt64 = 0
        for k in 0..<size {
            let byte = UInt64(bytes[offset + k])
            word |= order == .littleEndian ? byte << UInt64(8 * k) : byte << UInt64(8 * (size - 1 - k))
        }
        let stored = word & ((1 << UInt64(d.bitsStored)) - 1)
        if d.pixelRepresentation == 1 && stored >> UInt64(d.bitsStored - 1) == 1 {
            return Int64(stored) - (1 << Int64(d.bitsStored))
        }
        return Int64(stored)
    }
}
