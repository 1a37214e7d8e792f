import PixelData

/// JPEG Baseline (Process 1, 1.2.840.10008.1.2.4.50) and JPEG Extended (Process 2 & 4, 1.2.840.10008.1.2.4.51)
/// frames, cleaned in the DCT domain, so no pixel is decoded and re-quantised.
///
/// For every component, each 8x8 block whose pixels (scaled by the component's sampling factors) meet a rectangle
/// becomes a flat block: every AC coefficient 0 and the DC coefficient that decodes to black (luminance, or R, G
/// and B, at the minimum; chrominance at its neutral middle; MONOCHROME1 at the maximum), computed from the
/// component's quantisation table. Every other block keeps its coefficients, so it decodes exactly as before.
///
/// How the stream is written again:
/// - **Sequential Huffman-coded frames** (the usual case) go through ``JPEGBlockSplicer``: only the entropy codes
///   of the blanked blocks are rewritten (their new DC difference and an end of block), and the DC difference of
///   the first kept block after each run of them; every other block's bits are copied as they were (every code
///   is decoded, so that damage is refused, not passed on). Marker segments, Huffman tables included, stay as
///   they are. The cost is one Huffman pass over the frame, no coefficient is computed and nothing is re-encoded.
/// - **Otherwise** libjpeg-turbo transcodes the frame whole: `jpeg_read_coefficients`, the blocks set, and
///   `jpeg_write_coefficients` with the same quantisation tables, sampling factors, component identifiers, JFIF or
///   Adobe colour marker, ICC profile and restart interval; as sequential Huffman
///   coding (baseline when the tables allow, so a progressive input comes out as baseline), with the standard
///   Huffman tables when the input used them and optimised ones otherwise. That happens for progressive frames,
///   for a frame whose own Huffman tables lack a code the new blocks need (an optimised DC table without the
///   category of a new difference), for entropy-coded data decoders read two ways (fill bytes before a stuffed
///   zero), and for damage the splicer does not explain, which libjpeg then reports.
///
/// Either way COM markers and the APPn segments other than the JFIF marker, an ICC profile and the Adobe marker
/// are dropped: no decoder needs them, and they may hold what cleaning must not leave (free text naming the
/// patient; Exif, XMP and IPTC dates and names; Exif and JFXX thumbnails of the image before cleaning). A JFIF
/// marker loses its thumbnail too.
/// Whole blocks are blanked, so the blank area is the rectangles grown to the block (or, for subsampled
/// chrominance, the MCU) grid. A decoder that upsamples subsampled chrominance smoothly (libjpeg's "fancy"
/// upsampling, dcmtk's too) interpolates between neighbouring chrominance samples, so the one pixel row or column
/// just outside a touched MCU may shift slightly in colour (its luminance, and every coefficient, are unchanged);
/// without subsampling, every pixel outside the touched blocks decodes exactly as before.
///
/// Limits: libjpeg-turbo here is built for 8-bit samples, so extended frames of 12-bit precision are refused
/// (`.unsupportedTransferSyntax`); 8-bit extended frames work. Lossless (SOF3), arithmetic-coded and CMYK frames are
/// refused too.
public struct JPEGBaselineCodec: FrameCodec {
    /// JPEG Baseline (Process 1).
    public static let baselineUID = "1.2.840.10008.1.2.4.50"
    /// JPEG Extended (Process 2 & 4).
    public static let extendedUID = "1.2.840.10008.1.2.4.51"

    public init() {}

    /// Blanks the 8x8 blocks under `rectangles` in the DCT domain; see ``JPEGBaselineCodec``.
    /// - Throws: ``PixelDataError`` `.unsupportedTransferSyntax` for 12-bit, lossless or arithmetic-coded frames,
    ///   `.corruptFrame` when libjpeg cannot read the frame or it does not match `description`, `.codecFailed`
    ///   when libjpeg cannot write it.
    public func redact(frame: [UInt8], description: PixelDescription,
                       rectangles: [PixelRectangle]) throws(PixelDataError) -> [UInt8] {
        try description.checkFrameSize()
        try check(try JPEGFrameHeader(frame), description)
        let clipped = description.clip(rectangles)
        if clipped.isEmpty { return frame.paddedToEvenLength }
        let (ranges, dc) = try blocks(frame, description, clipped)
        if case .success(let spliced) = JPEGBlockSplicer.redact(frame, ranges: ranges, dc: dc) { return spliced.paddedToEvenLength }
        return try LibJPEGJob.redact(frame) { _ in (ranges, dc) }.paddedToEvenLength
    }

    /// What ``redact(frame:description:rectangles:)`` writes when the splicer declines: libjpeg-turbo's whole
    /// transcoding of the frame. For the differential fuzz target, which checks the two paths decode alike.
    /// - Throws: ``PixelDataError`` as ``redact(frame:description:rectangles:)``.
    package func redactTranscodingWhole(frame: [UInt8], description: PixelDescription,
                                        rectangles: [PixelRectangle]) throws(PixelDataError) -> [UInt8] {
        try description.checkFrameSize()
        try check(try JPEGFrameHeader(frame), description)
        let clipped = description.clip(rectangles)
        if clipped.isEmpty { return frame.paddedToEvenLength }
        let (ranges, dc) = try blocks(frame, description, clipped)
        return try LibJPEGJob.redact(frame) { _ in (ranges, dc) }.paddedToEvenLength
    }

    /// The blocks under `rectangles` (already clipped) and the DC value that makes each component's block black,
    /// from libjpeg's reading of the frame header (its colour space, sampling and quantisation tables).
    func blocks(_ frame: [UInt8], _ description: PixelDescription, _ rectangles: [PixelRectangle])
        throws(PixelDataError) -> (ranges: [DCTBlockPlan.BlockRange], dc: [Int16]) {
        let header = try LibJPEGJob.header(frame)
        guard header.columns == description.columns, header.rows == description.rows,
              header.components == description.samplesPerPixel else {
            throw PixelDataError(.corruptFrame, "libjpeg reads the JPEG frame as \(header.columns) x \(header.rows) with \(header.components) "
                                 + "components, the image pixel description says \(description.columns) x \(description.rows) with \(description.samplesPerPixel)")
        }
        guard !header.quantDC.contains(where: { $0 <= 0 }) else {
            throw PixelDataError(.corruptFrame, "JPEG component without a quantisation table (or with a DC step of 0)")
        }
        let targets = try blackTargets(header, description)
        let plan = DCTBlockPlan(rectangles: rectangles, components: header.blockComponents,
                                maxHorizontal: header.maxHorizontal, maxVertical: header.maxVertical)
        return (plan.ranges, zip(targets, header.quantDC).map { DCTBlockPlan.dc(target: $0, step: $1) })
    }

    /// Decodes with libjpeg: MONOCHROME to one sample; RGB to RGB (converting from YCbCr when the stream is YCbCr);
    /// YBR_FULL and YBR_FULL_422 to full-resolution Y, Cb, Cr samples (the upsampled YBR_FULL layout, as dcmtk and
    /// pydicom decode them), interleaved or by plane as Planar Configuration says.
    /// - Throws: ``PixelDataError`` as ``redact(frame:description:rectangles:)``.
    public func decode(frame: [UInt8], description: PixelDescription) throws(PixelDataError) -> [UInt8] {
        try description.checkFrameSize()
        try check(try JPEGFrameHeader(frame), description)
        let (header, samples) = try LibJPEGJob.decode(frame) { header throws(PixelDataError) in
            _ = try blackTargets(header, description)
            if header.components == 1 { return .grayscale }
            return description.photometric == "RGB" ? .rgb : header.colorSpace
        }
        let layout = SampleLayout(columns: header.columns, rows: header.rows, components: header.components,
                                  bytesPerSample: 1, planar: false)
        return layout.native(samples, bits: 8, description: description)
    }

    private func check(_ sof: JPEGFrameHeader, _ description: PixelDescription) throws(PixelDataError) {
        guard !sof.isLossless else {
            throw PixelDataError(.unsupportedTransferSyntax, "JPEG lossless frame (SOF\(sof.marker & 0x0F)) in a baseline/extended transfer syntax")
        }
        guard !sof.isArithmetic else {
            throw PixelDataError(.unsupportedTransferSyntax, "arithmetic-coded JPEG frame (SOF\(sof.marker & 0x0F))")
        }
        guard sof.precision == 8 else {
            throw PixelDataError(.unsupportedTransferSyntax,
                                 "\(sof.precision)-bit JPEG: this libjpeg-turbo decodes 8-bit samples only")
        }
        guard sof.columns == description.columns, sof.rows == description.rows, sof.components == description.samplesPerPixel else {
            throw PixelDataError(.corruptFrame, "JPEG frame is \(sof.columns) x \(sof.rows) with \(sof.components) components, "
                                 + "the image pixel description says \(description.columns) x \(description.rows) with \(description.samplesPerPixel)")
        }
    }

    /// The 8-bit sample each component must decode to for black.
    private func blackTargets(_ header: LibJPEGHeader, _ description: PixelDescription) throws(PixelDataError) -> [Int] {
        switch header.colorSpace {
        case .grayscale where header.components == 1: return [description.photometric == "MONOCHROME1" ? 255 : 0]
        case .rgb where header.components == 3: return [0, 0, 0]
        case .yCbCr where header.components == 3: return [0, 128, 128]
        default:
            throw PixelDataError(.unsupportedTransferSyntax, "JPEG frame with \(header.components) components in a colour space other than grey, RGB or YCbCr")
        }
    }
}
