import PixelData

/// JPEG 2000 Lossless (1.2.840.10008.1.2.4.90) and JPEG 2000 (1.2.840.10008.1.2.4.91) frames, decoded, blanked
/// and encoded again losslessly with OpenJPEG.
///
/// The new frame is a J2K codestream (PS3.5 A.4.4 wants the codestream, not a JP2 file; a JP2 input is read all
/// the same) with the reversible 5/3 wavelet and one quality layer, the same number of components, precision and
/// signedness, the reversible component transform (RCT) when the input used a component transform, and the
/// input's number of resolution levels where it fits the image. So every pixel outside the rectangles decodes
/// exactly as the input decoded (for lossless input: bit for bit as the original). Lossy input (.91, irreversible
/// 9/7, possibly with the ICT) is written back losslessly too: .91 allows lossless codestreams; the frame then
/// grows, and a frame that used the ICT now uses the RCT, so its Photometric Interpretation becomes YBR_RCT
/// (``photometricInterpretation(afterRedacting:)``; PS3.5 8.2.4). Colour with a component transform decodes to
/// RGB (YBR_RCT and YBR_ICT frames), so black there is 0 in every component.
///
/// Limits: components subsampled relative to the image (Cx/Cy reduction in SIZ) are refused
/// (`.unsupportedTransferSyntax`); tiling, progression order, precincts and code-block size are not kept (the
/// defaults of OpenJPEG are used), which changes the codestream's layout, not its pixels.
public struct JPEG2000Codec: FrameCodec {
    /// JPEG 2000 Image Compression (Lossless Only).
    public static let losslessUID = "1.2.840.10008.1.2.4.90"
    /// JPEG 2000 Image Compression (lossy allowed).
    public static let lossyUID = "1.2.840.10008.1.2.4.91"

    public init() {}

    /// Decodes, blanks `rectangles` and encodes the frame again losslessly; see ``JPEG2000Codec``.
    /// - Throws: ``PixelDataError`` `.corruptFrame` when OpenJPEG cannot decode the frame or it does not match
    ///   `description`, `.unsupportedTransferSyntax` for subsampled components, `.codecFailed` when encoding fails.
    public func redact(frame: [UInt8], description: PixelDescription,
                       rectangles: [PixelRectangle]) throws(PixelDataError) -> [UInt8] {
        try description.checkFrameSize()
        var image = try OpenJPEGCoder.decode(frame, expect: (description.columns, description.rows, description.samplesPerPixel))
        let clipped = description.clip(rectangles)
        if clipped.isEmpty { return frame.paddedToEvenLength }
        let values = blankValues(image, description)
        for index in image.components.indices {
            let value = values[index], columns = image.columns
            image.components[index].samples.withUnsafeMutableBufferPointer { samples in
                for rectangle in clipped {
                    for row in rectangle.y..<(rectangle.y + rectangle.height) {
                        let start = row * columns + rectangle.x
                        samples[start..<(start + rectangle.width)].update(repeating: value)
                    }
                }
            }
        }
        return try OpenJPEGCoder.encode(image).paddedToEvenLength
    }

    /// YBR_RCT for YBR_ICT input, whose frames come back with the reversible colour transform; otherwise the
    /// input's own.
    public func photometricInterpretation(afterRedacting description: PixelDescription) -> String {
        description.photometric == "YBR_ICT" ? "YBR_RCT" : description.photometric
    }

    /// Decodes with OpenJPEG to native samples (Bits Allocated each, little endian, sign-extended for Pixel
    /// Representation 1, by pixel or by plane as Planar Configuration says).
    /// - Throws: ``PixelDataError`` `.corruptFrame`, `.unsupportedTransferSyntax`.
    public func decode(frame: [UInt8], description: PixelDescription) throws(PixelDataError) -> [UInt8] {
        try description.checkFrameSize()
        let image = try OpenJPEGCoder.decode(frame, expect: (description.columns, description.rows, description.samplesPerPixel))
        let precision = image.components.map(\.precision).max() ?? 8
        guard precision <= description.bitsAllocated else {
            throw PixelDataError(.corruptFrame, "JPEG 2000 frame of \(precision) bits per sample in \(description.bitsAllocated)-bit pixels")
        }
        let layout = SampleLayout(columns: image.columns, rows: image.rows, components: image.components.count, bytesPerSample: 4, planar: true)
        var planes = [UInt8]()
        planes.reserveCapacity(layout.byteCount)
        for component in image.components {
            component.samples.withUnsafeBytes { planes.append(contentsOf: $0) }
        }
        return layout.native(planes, bits: precision, description: description)
    }

    /// Black per component, in each component's own precision and signedness.
    private func blankValues(_ image: JPEG2000Image, _ description: PixelDescription) -> [Int32] {
        let signed = description.pixelRepresentation == 1
        let values = BlankSamples.values(photometric: description.photometric, components: image.components.count,
                                         bits: image.components.map { min($0.precision, description.bitsStored) },
                                         signed: [Bool](repeating: signed, count: image.components.count))
        return zip(values, image.components).map { value, component in
            let mask = Int32(truncatingIfNeeded: (Int64(1) << component.precision) - 1)
            if !component.isSigned { return value & mask }
            // A signed component: the value itself, wrapped into the component's range.
            let pattern = value & mask, sign = Int32(1) << (component.precision - 1)
            return pattern & sign != 0 ? pattern | ~mask : pattern
        }
    }
}
