import PixelData

/// JPEG-LS Lossless (1.2.840.10008.1.2.4.80) and Near-Lossless (1.2.840.10008.1.2.4.81) frames, decoded,
/// blanked and encoded again with CharLS.
///
/// The new frame keeps the input's bits per sample, interleave mode, preset coding parameters (thresholds and
/// RESET) and colour transformation, and its NEAR value. For lossless input (NEAR 0) every pixel outside the
/// rectangles therefore decodes bit for bit as before. Near-lossless input (NEAR > 0) is re-encoded with the same
/// NEAR by default, so the frame stays as large as it was but pixels outside the rectangles may move by up to NEAR
/// from their decoded values (near-lossless coding is not idempotent); ``NearLosslessPolicy/lossless`` re-encodes
/// such frames with NEAR 0 instead, which keeps every pixel outside the rectangles exactly as decoded (a lossless
/// JPEG-LS stream is still valid under the near-lossless transfer syntax) at the cost of a larger frame.
///
/// Samples are JPEG-LS's unsigned values; for Pixel Representation 1 the blank value is the two's complement bit
/// pattern of the signed minimum of Bits Stored bits, as wide as the stream's samples (dcmtk, for one, writes signed
/// 12-bit data as sign-extended 16-bit samples). See `BlankSamples` for the photometric rules.
public struct JPEGLSCodec: FrameCodec {
    /// JPEG-LS Lossless.
    public static let losslessUID = "1.2.840.10008.1.2.4.80"
    /// JPEG-LS Lossy (Near-Lossless).
    public static let nearLosslessUID = "1.2.840.10008.1.2.4.81"

    /// How a near-lossless frame (NEAR > 0) is written back.
    public enum NearLosslessPolicy: Sendable, Hashable {
        /// With the input's NEAR: same size, pixels outside the rectangles within NEAR of their decoded values.
        case sameNear
        /// With NEAR 0: pixels outside the rectangles exactly as decoded.
        case lossless
    }

    public let nearLosslessPolicy: NearLosslessPolicy

    public init(nearLosslessPolicy: NearLosslessPolicy = .sameNear) {
        self.nearLosslessPolicy = nearLosslessPolicy
    }

    /// Decodes, blanks `rectangles` and encodes the frame again; see ``JPEGLSCodec``.
    /// - Throws: ``PixelDataError`` `.corruptFrame` when CharLS cannot decode the frame or it does not match
    ///   `description`, `.codecFailed` when it cannot encode it.
    public func redact(frame: [UInt8], description: PixelDescription,
                       rectangles: [PixelRectangle]) throws(PixelDataError) -> [UInt8] {
        try description.checkFrameSize()
        var image = try CharLSCoder.decode(frame, expect: (description.columns, description.rows, description.samplesPerPixel))
        let clipped = description.clip(rectangles)
        if clipped.isEmpty { return frame.paddedToEvenLength }
        // The stream may carry more bits than Bits Stored (dcmtk writes signed 12-bit data as sign-extended 16-bit
        // samples): black is the minimum of the stored range, as a bit pattern of the stream's width.
        let bits = min(image.bitsPerSample, description.bitsStored), components = image.layout.components
        let mask = Int32(truncatingIfNeeded: (Int64(1) << image.bitsPerSample) - 1)
        let values = BlankSamples.values(photometric: description.photometric, components: components,
                                         bits: [Int](repeating: bits, count: components),
                                         signed: [Bool](repeating: description.pixelRepresentation == 1, count: components))
        image.layout.blank(&image.samples, rectangles: clipped, values: values.map { $0 & mask })
        if nearLosslessPolicy == .lossless { image.near = 0 }
        return try CharLSCoder.encode(image).paddedToEvenLength
    }

    /// Decodes with CharLS to native samples (Bits Allocated each, little endian, sign-extended for Pixel
    /// Representation 1, by pixel or by plane as Planar Configuration says).
    /// - Throws: ``PixelDataError`` `.corruptFrame`.
    public func decode(frame: [UInt8], description: PixelDescription) throws(PixelDataError) -> [UInt8] {
        try description.checkFrameSize()
        let image = try CharLSCoder.decode(frame, expect: (description.columns, description.rows, description.samplesPerPixel))
        guard image.bitsPerSample <= description.bitsAllocated else {
            throw PixelDataError(.corruptFrame, "JPEG-LS frame of \(image.bitsPerSample) bits per sample in \(description.bitsAllocated)-bit pixels")
        }
        return image.layout.native(image.samples, bits: image.bitsPerSample, description: description)
    }
}
