import PixelData

/// The 8-bit grey images of a decoded frame that text is read from: its luminance as displayed (MONOCHROME1
/// inverted back, samples of more than 8 bits windowed from the frame's smallest to its largest value), and for
/// colour frames also the red, green and blue planes (coloured text on a grey or coloured ground can have
/// almost the luminance of its ground, and stand out in one plane).
struct FramePlanes: Equatable {
    /// The displayed luminance.
    var luminance: GreyImage
    /// Red, green and blue, for colour frames; empty for grey ones.
    var colour: [GreyImage]
    /// For colour frames, each pixel's chroma (its largest colour component less its smallest): grey speckle
    /// and grey text are black in it, coloured text light, whatever the luminance of its ground. Nil for grey frames.
    var chroma: GreyImage?

    /// - Throws: ``TextDetectionError`` `.unreadableFrame` for samples that do not fit the description or a
    ///   photometric interpretation other than MONOCHROME1/2, RGB and the YBR forms.
    init(_ frame: DecodedFrame) throws(TextDetectionError) {
        let d = frame.description
        let width = d.columns, height = d.rows
        let pixels = width * height
        if d.bitsAllocated == 1 {
            guard d.samplesPerPixel == 1, frame.samples.count >= (pixels + 7) / 8 else {
                throw TextDetectionError(.unreadableFrame, "a 1-bit frame of \(frame.samples.count) bytes for \(width) x \(height) pixels")
            }
            let one: UInt8 = d.photometric == "MONOCHROME1" ? 0 : 255
            let grey = (0..<pixels).map { frame.samples[$0 / 8] & (1 << ($0 % 8)) != 0 ? one : 255 - one }
            self.init(luminance: GreyImage(width: width, height: height, pixels: grey), colour: [])
            return
        }
        let values = try Self.samples(frame)
        switch d.photometric {
        case "MONOCHROME1", "MONOCHROME2":
            let grey = Self.window(values[0], invert: d.photometric == "MONOCHROME1")
            self.init(luminance: GreyImage(width: width, height: height, pixels: grey), colour: [])
        case "RGB", "YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT", "YBR_PARTIAL_422":
            let shift = max(0, d.bitsStored - 8)
            let planes = values.map { $0.map { Int(UInt8(clamping: $0 >> shift)) } }
            var red = [UInt8](repeating: 0, count: pixels), green = red, blue = red, luma = red, chroma = red
            let isRGB = d.photometric == "RGB"
            for i in 0..<pixels {
                var (r, g, b) = (planes[0][i], planes[1][i], planes[2][i])
                let y = r
                if !isRGB {
                    // PS3.3 C.7.6.3.1.2 YBR_FULL: the inverse of the ITU-R BT.601 transform, full range.
                    let cb = planes[1][i] - 128, cr = planes[2][i] - 128
                    r = y + (1402 * cr) / 1000
                    g = y - (344 * cb + 714 * cr) / 1000
                    b = y + (1772 * cb) / 1000
                }
                red[i] = UInt8(clamping: r)
                green[i] = UInt8(clamping: g)
                blue[i] = UInt8(clamping: b)
                luma[i] = isRGB ? UInt8(clamping: (299 * r + 587 * g + 114 * b) / 1000) : UInt8(clamping: y)
                chroma[i] = max(red[i], green[i], blue[i]) - min(red[i], green[i], blue[i])
            }
            self.init(luminance: GreyImage(width: width, height: height, pixels: luma),
                      colour: [red, green, blue].map { GreyImage(width: width, height: height, pixels: $0) },
                      chroma: GreyImage(width: width, height: height, pixels: chroma))
        default:
            throw TextDetectionError(.unreadableFrame, "Photometric Interpretation \(d.photometric) is not read for text")
        }
    }

    /// The images whose pixels tell text from texture (``TextRun``): the luminance, the colour planes, and the
    /// chroma when some pixel has colour.
    var textImages: [GreyImage] {
        [luminance] + colour + (chroma.map { $0.pixels.contains { $0 > TextDetector.greyChroma } ? [$0] : [] } ?? [])
    }

    private init(luminance: GreyImage, colour: [GreyImage], chroma: GreyImage? = nil) {
        self.luminance = luminance
        self.colour = colour
        self.chroma = chroma
    }

    /// The samples of each component, pixel by pixel, as stored values (masked to Bits Stored, sign-extended
    /// for two's complement).
    private static func samples(_ frame: DecodedFrame) throws(TextDetectionError) -> [[Int]] {
        let d = frame.description
        let pixels = d.rows * d.columns
        let bytes = d.bitsAllocated / 8
        let components = d.samplesPerPixel
        // YBR_FULL_422 as native data holds it: Y1 Y2 Cb Cr per pixel pair (PS3.3 C.7.6.3.1.2).
        let pairs = d.photometric == "YBR_FULL_422" && frame.samples.count == pixels * 2 * bytes && components == 3
        guard pairs || frame.samples.count >= pixels * components * bytes else {
            throw TextDetectionError(.unreadableFrame, "\(frame.samples.count) bytes of samples for \(d.columns) x \(d.rows) "
                                     + "pixels of \(components) samples of \(d.bitsAllocated) bits")
        }
        let mask = d.bitsStored >= 64 ? Int.max : (1 << d.bitsStored) - 1
        let signBit = 1 << (d.bitsStored - 1)
        let signed = d.pixelRepresentation == 1
        var planes = [[Int]](repeating: [Int](repeating: 0, count: pixels), count: components)
        frame.samples.withUnsafeBufferPointer { raw in
            func load(_ index: Int) -> Int {
                var value = 0
                for k in 0..<bytes { value |= Int(raw[index * bytes + k]) << (8 * k) }
                value &= mask
                if signed, value & signBit != 0 { value -= 1 << d.bitsStored }
                return value
            }
            for pixel in 0..<pixels {
                for component in 0..<components {
                    let index: Int
                    if pairs {
                        let pair = pixel / 2
                        index = component == 0 ? pair * 4 + pixel % 2 : pair * 4 + 1 + component
                    } else if d.planarConfiguration == 1 && components > 1 {
                        index = component * pixels + pixel
                    } else {
                        index = pixel * components + component
                    }
                    planes[component][pixel] = load(index)
                }
            }
        }
        return planes
    }

    /// Stored values mapped linearly from the frame's smallest (0) to its largest (255); inverted for MONOCHROME1.
    private static func window(_ values: [Int], invert: Bool) -> [UInt8] {
        guard let low = values.min(), let high = values.max() else { return [] }
        let range = max(1, high - low)
        return values.map { value in
            let grey = UInt8(((value - low) * 255 + range / 2) / range)
            return invert ? 255 - grey : grey
        }
    }
}
