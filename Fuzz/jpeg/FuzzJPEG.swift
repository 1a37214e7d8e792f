// libFuzzer target: JPEG Baseline cleaning (see Scripts/fuzz.sh), the entropy-code splicer first and libjpeg's
// whole transcoding when the splicer declines. The first two bytes place a rectangle; the rest is the frame, whose
// own frame header gives the image size, so that the codec gets past its size check. Anything must be refused
// with an error or handled, never crash; and when libjpeg's whole transcoding gives a frame that decodes, the
// frame written must decode to the same pixels.
import FuzzDriver
import PixelCodecs
import PixelData

/// Rows, columns and components from the first SOF0/SOF1 of `frame`, as the codec's size check wants them.
private func frameSize(_ frame: [UInt8]) -> (rows: Int, columns: Int, components: Int)? {
    var at = 2
    while at + 9 < frame.count, frame[at] == 0xFF {
        let marker = frame[at + 1], length = Int(frame[at + 2]) << 8 | Int(frame[at + 3])
        if marker == 0xC0 || marker == 0xC1 {
            return (Int(frame[at + 5]) << 8 | Int(frame[at + 6]), Int(frame[at + 7]) << 8 | Int(frame[at + 8]), Int(frame[at + 9]))
        }
        guard length >= 2, marker != 0xDA else { return nil }
        at += 2 + length
    }
    return nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 6 else { return 0 }
    let all = UnsafeBufferPointer(start: data, count: size)
    let frame = Array(all[2...])
    guard let (rows, columns, components) = frameSize(frame), rows > 0, columns > 0, rows * columns <= 1 << 20,
          components == 1 || components == 3 else { return 0 }
    let photometric = components == 1 ? "MONOCHROME2" : all[0] & 1 == 0 ? "YBR_FULL" : "RGB"
    let description = PixelDescription(rows: rows, columns: columns, samplesPerPixel: components, bitsAllocated: 8,
                                       bitsStored: 8, highBit: 7, pixelRepresentation: 0, planarConfiguration: 0,
                                       photometric: photometric, numberOfFrames: 1)
    let rectangle = PixelRectangle(x: Int(all[0] >> 1) * columns / 128, y: Int(all[1] & 0x7F) * rows / 128,
                                   width: 1 + Int(all[1] >> 4) * 8, height: 1 + Int(all[0] & 0x0F) * 8)
    let codec = JPEGBaselineCodec()
    guard let redacted = try? codec.redact(frame: frame, description: description, rectangles: [rectangle]) else { return 0 }
    let decoded = try? codec.decode(frame: redacted, description: description)
    // Differential: whenever libjpeg's whole transcoding of the same blocks gives a frame that decodes, the
    // written frame (spliced, normally) decodes to the same pixels.
    if let transcoded = try? codec.redactTranscodingWhole(frame: frame, description: description, rectangles: [rectangle]),
       let expected = try? codec.decode(frame: transcoded, description: description) {
        precondition(decoded == expected, "the spliced frame decodes differently from libjpeg's transcoding")
    }
    return 0
}

@_cdecl("fuzz_jpeg_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzJPEG)
}
