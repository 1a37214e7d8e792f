import PixelData

/// The start-of-frame marker of a JPEG stream (ISO/IEC 10918-1 B.2.2), found by walking the marker segments
/// before libjpeg sees the stream: libjpeg built for 8 bits refuses other precisions with a generic error, and the
/// process (baseline, extended, progressive, lossless) decides what can be done.
struct JPEGFrameHeader: Hashable {
    /// The SOF marker's second byte: C0 baseline, C1 extended, C2 progressive, C3 lossless, C5-CF the others.
    var marker: UInt8
    /// Sample precision P.
    var precision: Int
    var rows: Int
    var columns: Int
    var components: Int

    var isLossless: Bool { [0xC3, 0xC7, 0xCB, 0xCF].contains(marker) }
    var isArithmetic: Bool { marker >= 0xC9 }

    /// Finds the first SOF of `frame`.
    /// - Throws: ``PixelDataError`` `.corruptFrame` when the stream does not start with SOI or ends before an SOF.
    init(_ frame: [UInt8]) throws(PixelDataError) {
        guard frame.count >= 4, frame[0] == 0xFF, frame[1] == 0xD8 else {
            throw PixelDataError(.corruptFrame, "JPEG frame does not start with SOI (FF D8)")
        }
        var at = 2
        while true {
            // Fill bytes (FF) may precede a marker (B.1.1.2).
            while at < frame.count, frame[at] == 0xFF, at + 1 < frame.count, frame[at + 1] == 0xFF { at += 1 }
            guard at + 4 <= frame.count, frame[at] == 0xFF else {
                throw PixelDataError(.corruptFrame, "JPEG frame has no frame header (SOF) before offset \(at)")
            }
            let marker = frame[at + 1]
            // RSTn and TEM stand alone, without a length (B.1.1.3), as libjpeg reads them: reading a length after
            // them would find another frame header than libjpeg finds.
            if (0xD0...0xD7).contains(marker) || marker == 0x01 {
                at += 2
                continue
            }
            let length = Int(frame[at + 2]) << 8 | Int(frame[at + 3])
            guard length >= 2, at + 2 + length <= frame.count else {
                throw PixelDataError(.corruptFrame, "JPEG marker FF \(hex(marker)) at offset \(at) runs past the frame")
            }
            let isSOF = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isSOF {
                guard length >= 8 else { throw PixelDataError(.corruptFrame, "JPEG frame header (SOF) is too short") }
                self.marker = marker
                precision = Int(frame[at + 4])
                rows = Int(frame[at + 5]) << 8 | Int(frame[at + 6])
                columns = Int(frame[at + 7]) << 8 | Int(frame[at + 8])
                components = Int(frame[at + 9])
                return
            }
            guard marker != 0xDA, marker != 0xD9 else {
                throw PixelDataError(.corruptFrame, "JPEG frame reaches a scan or its end before a frame header (SOF)")
            }
            at += 2 + length
        }
    }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
