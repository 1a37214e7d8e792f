/// RLE Lossless (1.2.840.10008.1.2.5), PS3.5 Annex G: decoded, cleaned and encoded again by this toolkit.
///
/// A frame is a 64-byte header (the number of segments, then 15 segment offsets, each a little-endian UInt32)
/// followed by the segments. There is one segment per byte of each sample: for each sample in turn, its most
/// significant byte first. Each segment is a PackBits byte stream of Rows x Columns bytes, padded to even length.
/// Decoded frames are laid out as native data with the description's Planar Configuration.
public struct RLECodec: FrameCodec {
    /// The RLE Lossless transfer syntax UID.
    public static let transferSyntaxUID = "1.2.840.10008.1.2.5"

    public init() {}

    public func redact(frame: [UInt8], description: PixelDescription,
                       rectangles: [PixelRectangle]) throws(PixelDataError) -> [UInt8] {
        var pixels = try decode(frame: frame, description: description)
        var single = description
        single.numberOfFrames = 1
        _ = try NativeRedaction.redact(&pixels, frame: 0, description: single, rectangles: rectangles)
        return try encode(pixels, description: description)
    }

    public func decode(frame: [UInt8], description: PixelDescription) throws(PixelDataError) -> [UInt8] {
        let segmentCount = try Self.segmentCount(description)
        guard frame.count >= 64 else { throw PixelDataError(.corruptFrame, "RLE header needs 64 bytes, \(frame.count) present") }
        let declared = Int(Self.uint32(frame, at: 0))
        guard declared == segmentCount else {
            throw PixelDataError(.corruptFrame, "RLE header declares \(declared) segments, the image needs \(segmentCount)")
        }
        var offsets = (0..<segmentCount).map { Int(Self.uint32(frame, at: 4 + 4 * $0)) }
        offsets.append(frame.count)
        let pixels = description.rows * description.columns
        var segments: [[UInt8]] = []
        for index in 0..<segmentCount {
            let start = offsets[index], end = offsets[index + 1]
            guard start >= 64, start <= end, end <= frame.count else {
                throw PixelDataError(.corruptFrame, "RLE segment \(index + 1) at offset \(start) lies outside the frame of \(frame.count) bytes")
            }
            segments.append(try Self.unpack(frame[start..<end], count: pixels, segment: index + 1))
        }
        return Self.interleave(segments, description: description)
    }

    /// Encodes one native little-endian frame (laid out with the description's Planar Configuration).
    /// - Throws: ``PixelDataError`` `.truncated` when `pixels` is shorter than a frame; `.invalidDescription` for a
    ///   layout RLE cannot hold.
    public func encode(_ pixels: [UInt8], description: PixelDescription) throws(PixelDataError) -> [UInt8] {
        let segmentCount = try Self.segmentCount(description)
        guard pixels.count >= description.nativeFrameLength else {
            throw PixelDataError(.truncated, "\(pixels.count) bytes for a frame of \(description.nativeFrameLength)")
        }
        var header = [UInt8](repeating: 0, count: 64)
        Self.put(UInt32(segmentCount), into: &header, at: 0)
        var body: [UInt8] = []
        for index in 0..<segmentCount {
            Self.put(UInt32(64 + body.count), into: &header, at: 4 + 4 * index)
            body += Self.pack(Self.segmentBytes(pixels, segment: index, description: description))
            if body.count % 2 == 1 { body.append(0) }
        }
        return header + body
    }

    static func segmentCount(_ d: PixelDescription) throws(PixelDataError) -> Int {
        guard d.bitsAllocated % 8 == 0, d.photometric != "YBR_FULL_422" else {
            throw PixelDataError(.invalidDescription, "RLE cannot hold Bits Allocated \(d.bitsAllocated) \(d.photometric)")
        }
        return d.samplesPerPixel * d.bitsAllocated / 8
    }

    /// PS3.5 G.3.2: header byte n ≥ 0 copies n+1 literal bytes, -127...-1 repeats the next byte 1-n times, -128 is
    /// ignored. Extra decoded bytes past `count` are dropped (some encoders pad a row).
    static func unpack(_ data: ArraySlice<UInt8>, count: Int, segment: Int) throws(PixelDataError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var i = data.startIndex
        while out.count < count, i < data.endIndex {
            let n = Int(Int8(bitPattern: data[i]))
            i += 1
            if n >= 0 {
                guard i + n + 1 <= data.endIndex else {
                    throw PixelDataError(.corruptFrame, "RLE segment \(segment): literal run past the segment end")
                }
                out += data[i..<i + n + 1]
                i += n + 1
            } else if n != -128 {
                guard i < data.endIndex else {
                    throw PixelDataError(.corruptFrame, "RLE segment \(segment): repeat run past the segment end")
                }
                out += repeatElement(data[i], count: 1 - n)
                i += 1
            }
        }
        guard out.count >= count else {
            throw PixelDataError(.corruptFrame, "RLE segment \(segment) decodes to \(out.count) bytes, \(count) expected")
        }
        return Array(out.prefix(count))
    }

    /// PackBits: runs of 3 or more equal bytes become repeat runs, the rest literal runs, at most 128 bytes each.
    static func pack(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 64 + 2)
        var i = 0
        var literalStart = 0
        func flushLiteral(upTo end: Int) {
            var start = literalStart
            while start < end {
                let n = min(128, end - start)
                out.append(UInt8(n - 1))
                out += bytes[start..<start + n]
                start += n
            }
        }
        while i < bytes.count {
            var run = 1
            while i + run < bytes.count, run < 128, bytes[i + run] == bytes[i] { run += 1 }
            if run >= 3 {
                flushLiteral(upTo: i)
                out.append(UInt8(bitPattern: Int8(1 - run)))
                out.append(bytes[i])
                i += run
                literalStart = i
            } else {
                i += run
            }
        }
        flushLiteral(upTo: bytes.count)
        return out
    }

    /// Byte `segment` of the samples (sample `segment / bytesPerSample`, most significant byte first).
    static func segmentBytes(_ pixels: [UInt8], segment: Int, description d: PixelDescription) -> [UInt8] {
        let sampleBytes = d.bitsAllocated / 8
        let sample = segment / sampleBytes
        let byteInSample = sampleBytes - 1 - segment % sampleBytes
        let count = d.rows * d.columns
        var out = [UInt8](repeating: 0, count: count)
        if d.planarConfiguration == 1 && d.samplesPerPixel == 3 {
            let base = sample * count * sampleBytes + byteInSample
            for p in 0..<count { out[p] = pixels[base + p * sampleBytes] }
        } else {
            let step = d.samplesPerPixel * sampleBytes
            let base = sample * sampleBytes + byteInSample
            for p in 0..<count { out[p] = pixels[base + p * step] }
        }
        return out
    }

    static func interleave(_ segments: [[UInt8]], description d: PixelDescription) -> [UInt8] {
        let sampleBytes = d.bitsAllocated / 8
        let count = d.rows * d.columns
        var pixels = [UInt8](repeating: 0, count: d.nativeFrameLength)
        for (segment, bytes) in segments.enumerated() {
            let sample = segment / sampleBytes
            let byteInSample = sampleBytes - 1 - segment % sampleBytes
            if d.planarConfiguration == 1 && d.samplesPerPixel == 3 {
                let base = sample * count * sampleBytes + byteInSample
                for p in 0..<count { pixels[base + p * sampleBytes] = bytes[p] }
            } else {
                let step = d.samplesPerPixel * sampleBytes
                let base = sample * sampleBytes + byteInSample
                for p in 0..<count { pixels[base + p * step] = bytes[p] }
            }
        }
        return pixels
    }

    static func uint32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[index + $1]) << UInt32(8 * $1) }
    }

    static func put(_ value: UInt32, into bytes: inout [UInt8], at index: Int) {
        for k in 0..<4 { bytes[index + k] = UInt8(truncatingIfNeeded: value >> UInt32(8 * k)) }
    }
}

extension FrameCodecRegistry {
    /// The codecs written in this module: RLE Lossless.
    public static let builtIn = FrameCodecRegistry(codecs: [RLECodec.transferSyntaxUID: RLECodec()])
}
