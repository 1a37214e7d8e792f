import PixelData

/// The sample values that display as black, per component, for frames a codec decodes before blanking
/// (the same choice as native blanking in PixelData).
///
/// MONOCHROME2 and other single-sample images take the minimum of the stored range (unsigned 0, signed
/// -2^(bits-1)), MONOCHROME1 the maximum; PALETTE COLOR index 0; RGB, and YBR_RCT / YBR_ICT (whose decoded samples
/// are RGB) 0 in every component; YBR_FULL and YBR_FULL_422 luminance 0 with both chrominance samples at the middle
/// of their range.
enum BlankSamples {
    /// - Parameters:
    ///   - photometric: the Photometric Interpretation.
    ///   - components: samples per pixel.
    ///   - bits: the precision of each component's samples.
    ///   - signed: whether each component's samples are two's complement.
    static func values(photometric: String, components: Int, bits: [Int], signed: [Bool]) -> [Int32] {
        (0..<components).map { index in
            let precision = min(max(bits[index], 1), 31)
            let isSigned = signed[index]
            let minimum: Int32 = isSigned ? -(1 << (precision - 1)) : 0
            let maximum: Int32 = isSigned ? (1 << (precision - 1)) - 1 : Int32((1 << Int64(precision)) - 1)
            let middle: Int32 = isSigned ? 0 : 1 << (precision - 1)
            if components == 1 { return photometric == "MONOCHROME1" ? maximum : minimum }
            if photometric.hasPrefix("YBR_FULL") { return index == 0 ? minimum : middle }
            return minimum
        }
    }
}
