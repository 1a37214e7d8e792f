import DICOMCore

/// Blanks rectangles in native (uncompressed) Pixel Data, PS3.5 8.2, and puts the original bytes back.
///
/// Every pixel inside a rectangle gets the sample value displayed as black, written as a whole sample (bits above
/// Bits Stored included, sign-extended for signed data):
/// - MONOCHROME2: the minimum of the stored range (0, or -2^(Bits Stored-1) when signed);
/// - MONOCHROME1: the maximum of the stored range;
/// - RGB: 0, 0, 0;
/// - YBR_FULL (and other YBR forms): Y = 0, Cb = Cr = the middle of the range (128 for 8 bits);
/// - YBR_FULL_422: the same, for each whole pixel pair that touches a rectangle (the pair shares Cb and Cr);
/// - PALETTE COLOR: index 0 (the palette's first entry; most palettes make it black, none is required to);
/// - Bits Allocated 1: bit 0.
/// Planar configuration 1 is blanked plane by plane. Samples are written in the byte order of the data set.
/// Limit: 1- and 8-bit data in Explicit VR Big Endian with VR OW (bytes swapped in pairs) is treated as OB.
public enum NativeRedaction {
    /// Blanks `rectangles` (clipped to the image) in frame `frame` of the Pixel Data value `bytes`.
    /// - Parameters:
    ///   - bytes: the whole Pixel Data value, changed in place.
    ///   - frame: the frame (0-based).
    ///   - description: the image's pixel description.
    ///   - rectangles: what to blank; parts outside the image are ignored.
    ///   - order: the data set's byte order.
    /// - Returns: the original bytes overwritten, in the order written (restore them in reverse order).
    /// - Throws: ``PixelDataError`` `.truncated` when the value is shorter than the frame needs.
    public static func redact(_ bytes: inout [UInt8], frame: Int, description: PixelDescription,
                              rectangles: [PixelRectangle], order: ByteOrder = .littleEndian) throws(PixelDataError) -> [PixelPatch] {
        try checkLength(bytes.count, frame: frame, description: description)
        var patches: [PixelPatch] = []
        for rectangle in rectangles {
            guard let clipped = rectangle.clipped(columns: description.columns, rows: description.rows) else { continue }
            if description.bitsAllocated == 1 {
                patches += blankBits(&bytes, frame: frame, description: description, rectangle: clipped)
            } else {
                let layout = SampleLayout(description, order: order)
                for run in runs(frame: frame, description: description, rectangle: clipped) {
                    patches.append(blank(&bytes, frame: frame, run: run, pattern: layout.blankPattern(for: run.plane)))
                }
            }
        }
        return patches
    }

    /// Puts the original bytes of `patches` (native ones) back, last patch first.
    /// - Throws: ``PixelDataError`` `.invalidPatch` when a patch does not fit inside `bytes` or is not native.
    public static func restore(_ bytes: inout [UInt8], patches: [PixelPatch]) throws(PixelDataError) {
        for patch in patches.reversed() {
            guard case .native(let offset, let length, let stride, let count, let saved) = patch.content else {
                throw PixelDataError(.invalidPatch, "an encapsulated patch for native pixel data", frame: patch.frame)
            }
            // Saved values come from outside: every product and sum checked for overflow.
            let (total, o1) = length.multipliedReportingOverflow(by: count)
            let (span, o2) = max(0, count - 1).multipliedReportingOverflow(by: stride)
            let (end, o3) = offset.addingReportingOverflow(span)
            guard offset >= 0, length >= 0, count >= 0, stride >= 0, !o1, !o2, !o3, saved.count == total,
                  count == 0 || end <= bytes.count - length else {
                throw PixelDataError(.invalidPatch, "run at offset \(offset) does not fit \(bytes.count) bytes", frame: patch.frame)
            }
            for i in 0..<count {
                let start = offset + i * stride
                bytes.replaceSubrange(start..<start + length, with: saved[i * length..<(i + 1) * length])
            }
        }
    }

    /// Bytes a native Pixel Data value of `description` must hold (1-bit frames are packed one after the other).
    public static func requiredLength(_ description: PixelDescription) -> Int {
        if description.bitsAllocated == 1 {
            return (description.rows * description.columns * description.samplesPerPixel * description.numberOfFrames + 7) / 8
        }
        return description.nativeFrameLength * description.numberOfFrames
    }

    static func checkLength(_ count: Int, frame: Int, description: PixelDescription) throws(PixelDataError) {
        guard frame >= 0, frame < description.numberOfFrames else {
            throw PixelDataError(.invalidDescription, "no frame \(frame + 1) in \(description.numberOfFrames)")
        }
        if description.photometric == "YBR_FULL_422", description.columns % 2 == 1 {
            throw PixelDataError(.invalidDescription, "YBR_FULL_422 with an odd number of Columns (\(description.columns))")
        }
        let needed = requiredLength(description)
        guard count >= needed else {
            throw PixelDataError(.truncated, "\(count) bytes, \(description.numberOfFrames) frames need \(needed)", frame: frame)
        }
    }

    /// One strided run of whole pixels (or pixel pairs) to blank, and the sample plane it lies in (nil: all samples).
    struct Run {
        var offset: Int, length: Int, stride: Int, count: Int
        var plane: Int?
    }

    static func runs(frame: Int, description d: PixelDescription, rectangle r: PixelRectangle) -> [Run] {
        let sampleBytes = d.bitsAllocated / 8
        let frameStart = frame * d.nativeFrameLength
        if d.photometric == "YBR_FULL_422" {
            // Y1 Y2 Cb Cr per pixel pair: widen to whole pairs.
            let pairBytes = 4 * sampleBytes
            let left = r.x / 2, right = (r.x + r.width + 1) / 2
            let rowBytes = (d.columns + 1) / 2 * pairBytes
            return [Run(offset: frameStart + r.y * rowBytes + left * pairBytes, length: (right - left) * pairBytes,
                        stride: rowBytes, count: r.height, plane: nil)]
        }
        if d.samplesPerPixel == 3 && d.planarConfiguration == 1 {
            let planeBytes = d.rows * d.columns * sampleBytes
            return (0..<3).map { plane in
                Run(offset: frameStart + plane * planeBytes + (r.y * d.columns + r.x) * sampleBytes,
                    length: r.width * sampleBytes, stride: d.columns * sampleBytes, count: r.height, plane: plane)
            }
        }
        let pixelBytes = sampleBytes * d.samplesPerPixel
        return [Run(offset: frameStart + (r.y * d.columns + r.x) * pixelBytes, length: r.width * pixelBytes,
                    stride: d.columns * pixelBytes, count: r.height, plane: nil)]
    }

    private static func blank(_ bytes: inout [UInt8], frame: Int, run: Run, pattern: [UInt8]) -> PixelPatch {
        var saved: [UInt8] = []
        saved.reserveCapacity(run.length * run.count)
        for i in 0..<run.count {
            let start = run.offset + i * run.stride
            saved += bytes[start..<start + run.length]
            var k = 0
            for j in start..<start + run.length {
                bytes[j] = pattern[k]
                k = k + 1 == pattern.count ? 0 : k + 1
            }
        }
        return PixelPatch(frame: frame, content: .native(offset: run.offset, length: run.length, stride: run.stride,
                                                         count: run.count, bytes: saved))
    }

    /// Bits Allocated 1: pixel `i` of the value is bit `i % 8` of byte `i / 8`; frames follow each other bit by bit.
    private static func blankBits(_ bytes: inout [UInt8], frame: Int, description d: PixelDescription,
                                  rectangle r: PixelRectangle) -> [PixelPatch] {
        let samples = d.samplesPerPixel
        let frameBit = frame * d.rows * d.columns * samples
        let rowBits = d.columns * samples
        var patches: [PixelPatch] = []
        let aligned = frameBit % 8 == 0 && rowBits % 8 == 0
        var rows = Array(r.y..<r.y + r.height)
        if aligned { rows = [r.y] }
        for row in rows {
            let firstBit = frameBit + (row * d.columns + r.x) * samples
            let endBit = firstBit + r.width * samples
            let firstByte = firstBit / 8, endByte = (endBit + 7) / 8
            let count = aligned ? r.height : 1
            let stride = aligned ? rowBits / 8 : 0
            var saved: [UInt8] = []
            for i in 0..<count {
                let base = i * stride
                saved += bytes[firstByte + base..<endByte + base]
                for bit in firstBit + base * 8..<endBit + base * 8 {
                    bytes[bit / 8] &= ~(UInt8(1) << UInt8(bit % 8))
                }
            }
            patches.append(PixelPatch(frame: frame, content: .native(offset: firstByte, length: endByte - firstByte,
                                                                     stride: stride, count: count, bytes: saved)))
        }
        return patches
    }
}

/// The bytes of the black sample values of an image, in its byte order.
struct SampleLayout {
    let description: PixelDescription
    let order: ByteOrder

    init(_ description: PixelDescription, order: ByteOrder) {
        self.description = description
        self.order = order
    }

    /// The value displayed as black for sample `index` (0, 1, 2), as a stored value before shifting.
    func blackValue(sample index: Int) -> Int {
        let d = description
        let signed = d.pixelRepresentation == 1
        let minimum = signed ? -(1 << (d.bitsStored - 1)) : 0
        let maximum = signed ? (1 << (d.bitsStored - 1)) - 1 : (1 << d.bitsStored) - 1
        switch d.photometric {
        case "MONOCHROME1": return maximum
        case "MONOCHROME2": return minimum
        case let p where p.hasPrefix("YBR"): return index == 0 ? minimum : 1 << (d.bitsStored - 1)
        default: return 0
        }
    }

    /// One sample, `bitsAllocated / 8` bytes in the data set's byte order (sign-extended, shifted to High Bit).
    func sampleBytes(_ value: Int) -> [UInt8] {
        let d = description
        let shift = max(0, d.highBit + 1 - d.bitsStored)
        let word = UInt64(bitPattern: Int64(value) << Int64(shift))
        let count = d.bitsAllocated / 8
        let little = (0..<count).map { UInt8(truncatingIfNeeded: word >> UInt64(8 * $0)) }
        return order == .bigEndian ? little.reversed() : little
    }

    /// The byte pattern repeated over a run: one pixel (or pixel pair for YBR_FULL_422), or one sample of `plane`.
    func blankPattern(for plane: Int?) -> [UInt8] {
        if let plane { return sampleBytes(blackValue(sample: plane)) }
        if description.photometric == "YBR_FULL_422" {
            return [0, 0, 1, 2].flatMap { sampleBytes(blackValue(sample: $0)) }
        }
        return (0..<description.samplesPerPixel).flatMap { sampleBytes(blackValue(sample: $0)) }
    }
}
