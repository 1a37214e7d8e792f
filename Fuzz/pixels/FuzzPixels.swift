// libFuzzer target: pixel data cleaning (see Scripts/fuzz.sh). The first byte picks the part: the RLE decoder and
// encoder, the pixel rules parser, or native blanking with its restore. Bytes five to eight describe a small image
// (rows, columns, bits, samples and photometric). Anything must be refused with an error or handled; blanking then
// restoring must give back the very bytes it started from.
import DICOMCore
import FuzzDriver
import PixelData

private let photometrics = ["MONOCHROME2", "MONOCHROME1", "RGB", "YBR_FULL", "YBR_FULL_422", "PALETTE COLOR"]

private func description(_ bytes: UnsafeBufferPointer<UInt8>) -> PixelDescription? {
    guard bytes.count >= 4 else { return nil }
    let bits = [1, 8, 16, 32][Int(bytes[2] & 3)]
    let samples = bytes[2] & 4 == 0 ? 1 : 3
    let photometric = samples == 1 ? photometrics[Int(bytes[3] & 1)] : photometrics[2 + Int(bytes[3] % 4)]
    return PixelDescription(rows: Int(bytes[0] % 48) + 1, columns: Int(bytes[1] % 48) + 1, samplesPerPixel: samples,
                            bitsAllocated: bits, bitsStored: bits, highBit: bits - 1,
                            pixelRepresentation: Int(bytes[3] >> 7), planarConfiguration: Int(bytes[3] >> 6 & 1),
                            photometric: photometric, numberOfFrames: Int(bytes[3] >> 4 & 3) + 1)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPixels(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 5 else { return 0 }
    let all = UnsafeBufferPointer(start: data, count: size)
    let rest = Array(all[5...])
    switch all[0] % 3 {
    case 0:
        guard let description = description(UnsafeBufferPointer(rebasing: all[1..<5])) else { return 0 }
        let codec = RLECodec()
        if let decoded = try? codec.decode(frame: rest, description: description),
           let encoded = try? codec.encode(decoded, description: description) {
            precondition((try? codec.decode(frame: encoded, description: description)) == decoded, "RLE round trip differs")
            _ = try? codec.redact(frame: rest, description: description,
                                  rectangles: [PixelRectangle(x: Int(all[1] % 8), y: 0, width: 5, height: 3)])
        }
    case 1:
        _ = try? PixelRuleScript(text: String(decoding: rest, as: UTF8.self), file: "fuzz.script")
    default:
        guard let description = description(UnsafeBufferPointer(rebasing: all[1..<5])) else { return 0 }
        var bytes = rest
        let rectangles = [PixelRectangle(x: Int(all[1] % 16) - 4, y: Int(all[2] % 16) - 4, width: Int(all[3] % 20),
                                         height: Int(all[4] % 20))]
        guard let patches = try? NativeRedaction.redact(&bytes, frame: Int(all[4] >> 6), description: description,
                                                        rectangles: rectangles, order: all[4] & 0x20 == 0 ? .littleEndian : .bigEndian)
        else { return 0 }
        precondition((try? NativeRedaction.restore(&bytes, patches: patches)) != nil, "restore refused its own patches")
        precondition(bytes == rest, "blank then restore did not give back the original bytes")
    }
    return 0
}

@_cdecl("fuzz_pixels_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzPixels)
}
