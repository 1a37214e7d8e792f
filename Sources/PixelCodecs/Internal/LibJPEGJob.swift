internal import CJPEGTurbo
import PixelData

/// libjpeg's view of a JPEG frame, as shim_jpeg_open reads it.
struct LibJPEGHeader {
    enum ColorSpace: Hashable {
        case grayscale, rgb, yCbCr, other
    }

    var columns: Int
    var rows: Int
    var components: Int
    var colorSpace: ColorSpace
    var blockComponents: [DCTBlockPlan.Component]
    var maxHorizontal: Int
    var maxVertical: Int
    /// The DC quantisation step of each component.
    var quantDC: [Int]
}

/// One libjpeg decompression (and, for redaction, compression) of a frame. The C job and every pointer into it
/// live only inside these functions; errors come back as return codes from the shim, never as a longjmp here.
enum LibJPEGJob {
    /// Reads the header of `frame`, lets `plan` decide which blocks to set to which DC, and writes the new stream.
    /// - Throws: ``PixelDataError`` `.corruptFrame` when libjpeg cannot read the frame (or warns about it),
    ///   `.codecFailed` when it cannot write it, or what `plan` throws.
    static func redact(_ frame: [UInt8],
                       plan: (LibJPEGHeader) throws(PixelDataError) -> (blocks: [DCTBlockPlan.BlockRange], dc: [Int16]))
        throws(PixelDataError) -> [UInt8] {
        try run(frame) { job, header throws(PixelDataError) -> [UInt8] in
            let (ranges, dc) = try plan(header)
            var blocks: [Int32] = []
            blocks.reserveCapacity(ranges.count * 5)
            for range in ranges {
                blocks += [range.component, range.columns.lowerBound, range.rows.lowerBound, range.columns.upperBound,
                           range.rows.upperBound].map { Int32($0) }
            }
            var dcs = dc + [Int16](repeating: 0, count: max(0, 4 - dc.count))
            let status = blocks.withUnsafeBufferPointer { blockPointer in
                dcs.withUnsafeMutableBufferPointer { dcPointer in
                    shim_jpeg_redact(job, blockPointer.baseAddress, Int32(ranges.count), dcPointer.baseAddress)
                }
            }
            guard status == 0 else {
                throw PixelDataError(job.pointee.compressCreated != 0 ? .codecFailed : .corruptFrame, "libjpeg: \(message(job))")
            }
            guard let output = job.pointee.output else { throw PixelDataError(.codecFailed, "libjpeg wrote nothing") }
            return Array(UnsafeBufferPointer(start: output, count: Int(job.pointee.outputLength)))
        }
    }

    /// Reads the header of `frame` (the markers up to its first scan).
    /// - Throws: ``PixelDataError`` `.corruptFrame` when libjpeg cannot read it.
    static func header(_ frame: [UInt8]) throws(PixelDataError) -> LibJPEGHeader {
        try run(frame) { _, header in header }
    }

    /// Decodes `frame` to 8-bit samples interleaved by pixel, in the colour space `output` picks from the header.
    /// - Throws: ``PixelDataError`` `.corruptFrame`, or what `output` throws.
    static func decode(_ frame: [UInt8], output: (LibJPEGHeader) throws(PixelDataError) -> LibJPEGHeader.ColorSpace)
        throws(PixelDataError) -> (header: LibJPEGHeader, samples: [UInt8]) {
        try run(frame) { job, header throws(PixelDataError) -> (header: LibJPEGHeader, samples: [UInt8]) in
            let space = try output(header)
            let outputComponents = space == .grayscale ? 1 : 3
            var samples = [UInt8](repeating: 0, count: header.columns * header.rows * outputComponents)
            let code: Int32 = switch space {
            case .grayscale: shim_jpeg_color_grayscale()
            case .rgb: shim_jpeg_color_rgb()
            case .yCbCr, .other: shim_jpeg_color_ycbcr()
            }
            let status = samples.withUnsafeMutableBufferPointer { buffer in
                shim_jpeg_decode(job, code, buffer.baseAddress, UInt(buffer.count))
            }
            guard status == 0 else { throw PixelDataError(.corruptFrame, "libjpeg: \(message(job))") }
            return (header, samples)
        }
    }

    /// Creates a job over `frame`, reads its header and runs `body` while `frame`'s bytes are pinned.
    private static func run<R>(_ frame: [UInt8],
                               _ body: (UnsafeMutablePointer<shim_jpeg_job>, LibJPEGHeader) throws(PixelDataError) -> R)
        throws(PixelDataError) -> R {
        guard let job = shim_jpeg_job_create() else { throw PixelDataError(.codecFailed, "libjpeg: out of memory") }
        defer { shim_jpeg_job_destroy(job) }
        let outcome = frame.withUnsafeBufferPointer { bytes -> Result<R, PixelDataError> in
            guard let base = bytes.baseAddress, shim_jpeg_open(job, base, UInt(bytes.count)) == 0 else {
                return .failure(PixelDataError(.corruptFrame, "libjpeg: \(message(job))"))
            }
            let header = header(job.pointee.info)
            return Result { () throws(PixelDataError) -> R in try body(job, header) }
        }
        return try outcome.get()
    }

    private static func header(_ info: shim_jpeg_info) -> LibJPEGHeader {
        let count = min(Int(info.components), Int(SHIM_JPEG_MAX_COMPONENTS))
        let h = four(info.h), v = four(info.v), widths = four(info.widthInBlocks), heights = four(info.heightInBlocks)
        let space: LibJPEGHeader.ColorSpace = switch info.colorSpace {
        case shim_jpeg_color_grayscale(): .grayscale
        case shim_jpeg_color_rgb(): .rgb
        case shim_jpeg_color_ycbcr(): .yCbCr
        default: .other
        }
        return LibJPEGHeader(
            columns: Int(info.width), rows: Int(info.height), components: Int(info.components), colorSpace: space,
            blockComponents: (0..<count).map {
                DCTBlockPlan.Component(horizontal: h[$0], vertical: v[$0], widthInBlocks: widths[$0], heightInBlocks: heights[$0])
            },
            maxHorizontal: Int(info.maxH), maxVertical: Int(info.maxV), quantDC: Array(four(info.quantDC).prefix(count)))
    }

    private static func four(_ values: (Int32, Int32, Int32, Int32)) -> [Int] {
        [Int(values.0), Int(values.1), Int(values.2), Int(values.3)]
    }

    private static func message(_ job: UnsafeMutablePointer<shim_jpeg_job>) -> String {
        let text = withUnsafeBytes(of: &job.pointee.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? "unknown error" : text
    }
}
