import DICOMTestSupport
import Foundation
import PixelCodecs
import PixelData
import Testing

/// JPEG Baseline and Extended, cleaned in the DCT domain; every check decodes with dcmtk's `dcmdjpeg` (IJG code
/// of its own), never with the libjpeg-turbo the codec uses.
@Suite(.enabled(if: Peer.runnable(.dcmcjpeg, .dcmdjpeg), Comment(rawValue: Peer.skipReason(.dcmcjpeg, .dcmdjpeg))))
struct JPEGBaselineCodecTests {
    static let rectangles = [PixelRectangle(x: 37, y: 45, width: 100, height: 20), PixelRectangle(x: 300, y: 401, width: 9, height: 9),
                             PixelRectangle(x: 500, y: 500, width: 40, height: 40)]

    /// Compresses a synthetic image with dcmcjpeg; returns the compressed file's path and its frame.
    static func compressed(_ description: PixelDescription, _ options: [String], _ directory: TemporaryDirectory)
        throws -> (path: String, frame: [UInt8]) {
        let native = try CodecTests.write(CodecTests.nativeFile(description, pixels: CodecTests.pixels(description)), directory, "native.dcm")
        let path = directory.url.appendingPathComponent("jpeg.dcm").path
        try CodecTests.run(CodecTests.dcmcjpeg, options + [native, path])
        return (path, try CodecTests.frame(ofFile: path).frame)
    }

    /// dcmdjpeg's pixels for `path`.
    static func decoded(_ path: String, _ directory: TemporaryDirectory, _ options: [String] = []) throws -> [UInt8] {
        let out = path + ".raw.dcm"
        try CodecTests.run(CodecTests.dcmdjpeg, options + [path, out])
        return try CodecTests.nativePixels(ofFile: out)
    }

    @Test(arguments: ["MONOCHROME2", "MONOCHROME1"])
    func greyscaleBlocksUnderTheRectanglesGoBlackAndNoOtherPixelChanges(_ photometric: String) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(photometric: photometric)
        let black: UInt8 = photometric == "MONOCHROME1" ? 255 : 0
        let (path, frame) = try Self.compressed(description, ["+eb"], directory)
        let redacted = try JPEGBaselineCodec().redact(frame: frame, description: description, rectangles: Self.rectangles)
        #expect(redacted.count % 2 == 0)
        let redactedPath = try CodecTests.replacingFrame(ofFile: path, with: redacted, directory, "redacted.dcm")
        let before = try Self.decoded(path, directory), after = try Self.decoded(redactedPath, directory)
        try #require(before.count == 512 * 512 && after.count == before.count)
        var inside = PixelMask(columns: 512, rows: 512), touched = PixelMask(columns: 512, rows: 512)
        for rectangle in Self.rectangles {
            if let clipped = rectangle.clipped(columns: 512, rows: 512) { inside.mark(clipped) }
            touched.mark(rectangle, cellWidth: 8, cellHeight: 8)
        }
        var blackInside = 0, changedOutside = 0
        for row in 0..<512 {
            for column in 0..<512 {
                let i = row * 512 + column
                if inside[column, row], after[i] == black { blackInside += 1 }
                if !touched[column, row], after[i] != before[i] { changedOutside += 1 }
            }
        }
        #expect(blackInside == inside.bits.filter { $0 }.count, "every pixel inside the rectangles is \(black)")
        #expect(changedOutside == 0, "no pixel outside the touched 8x8 blocks changes")
        #expect(before != after)
        // The same with libjpeg-turbo's decoder.
        let ours = (try JPEGBaselineCodec().decode(frame: frame, description: description),
                    try JPEGBaselineCodec().decode(frame: redacted, description: description))
        let changedByOurs = (0..<(512 * 512)).filter { !touched[$0 % 512, $0 / 512] && ours.0[$0] != ours.1[$0] }.count
        #expect(changedByOurs == 0)
    }

    /// Colour with 4:2:2 chrominance (dcmcjpeg's default: YBR_FULL_422) or 4:2:0 (+np): the touched area is the MCU
    /// grid (16 x 8, 16 x 16); smooth upsampling lets a changed chrominance sample shade one pixel beside it.
    /// With `+cr` dcmcjpeg compresses R, G and B themselves (no colour transform, no subsampling), and black is 0, 0, 0.
    @Test(arguments: [["+eb"], ["+eb", "+s4"], ["+ee"], ["+eb", "+cr"], ["+eb", "+np"]])
    func colourBlocksUnderTheRectanglesGoBlack(_ options: [String]) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(samples: 3)
        let (path, frame) = try Self.compressed(description, options, directory)
        let isRGB = options.contains("+cr")
        let subsampled = !options.contains("+s4") && !isRGB
        let neutral: UInt8 = isRGB ? 0 : 128
        // The MCU: 8 x 8 without subsampling, 16 x 8 for 4:2:2, 16 x 16 for dcmcjpeg's "4:1:1" (+np), which is
        // 2 x 2 subsampling (4:2:0).
        let mcuWidth = subsampled ? 16 : 8, mcuHeight = options.contains("+np") ? 16 : 8
        var jpegDescription = description
        jpegDescription.photometric = isRGB ? "RGB" : subsampled ? "YBR_FULL_422" : "YBR_FULL"
        let redacted = try JPEGBaselineCodec().redact(frame: frame, description: jpegDescription, rectangles: Self.rectangles)
        let redactedPath = try CodecTests.replacingFrame(ofFile: path, with: redacted, directory, "redacted.dcm")
        let before = try Self.decoded(path, directory, ["+cn", "+px"]), after = try Self.decoded(redactedPath, directory, ["+cn", "+px"])
        try #require(before.count == 512 * 512 * 3 && after.count == before.count)
        var inside = PixelMask(columns: 512, rows: 512), allowed = PixelMask(columns: 512, rows: 512)
        var chromaNeutral = PixelMask(columns: 512, rows: 512)
        for rectangle in Self.rectangles {
            let clipped = try #require(rectangle.clipped(columns: 512, rows: 512))
            inside.mark(clipped)
            allowed.mark(rectangle, cellWidth: mcuWidth, cellHeight: mcuHeight, margin: subsampled ? 1 : 0)
            // Chrominance is exactly neutral where no unchanged chrominance sample is a neighbour.
            var core = clipped
            if subsampled {
                let left = clipped.x / mcuWidth * mcuWidth, right = (clipped.x + clipped.width + mcuWidth - 1) / mcuWidth * mcuWidth
                core = PixelRectangle(x: left + 1, y: clipped.y, width: max(0, right - left - 2), height: clipped.height)
                if mcuHeight == 16 {
                    let top = clipped.y / 16 * 16, bottom = (clipped.y + clipped.height + 15) / 16 * 16
                    core = PixelRectangle(x: core.x, y: top + 1, width: core.width, height: max(0, bottom - top - 2))
                }
            }
            if let core = core.clipped(columns: 512, rows: 512) { chromaNeutral.mark(core) }
        }
        var wrongInside = 0, changedOutside = 0
        for row in 0..<512 {
            for column in 0..<512 {
                let i = (row * 512 + column) * 3
                if inside[column, row], after[i] != 0 { wrongInside += 1 }
                if chromaNeutral[column, row], inside[column, row], after[i + 1] != neutral || after[i + 2] != neutral { wrongInside += 1 }
                if !allowed[column, row], after[i..<(i + 3)] != before[i..<(i + 3)] { changedOutside += 1 }
            }
        }
        #expect(wrongInside == 0, "luminance 0 and chrominance neutral inside the rectangles")
        #expect(changedOutside == 0, "no pixel outside the touched MCUs (and their one-pixel rim) changes")
    }

    /// The marker segments of a JPEG stream before its first scan: (marker, payload).
    static func segments(_ frame: [UInt8]) -> [(marker: UInt8, payload: [UInt8])] {
        var out: [(UInt8, [UInt8])] = [], at = 2
        while at + 4 <= frame.count, frame[at] == 0xFF, frame[at + 1] != 0xDA {
            let length = Int(frame[at + 2]) << 8 | Int(frame[at + 3])
            out.append((frame[at + 1], Array(frame[(at + 4)..<min(frame.count, at + 2 + length)])))
            at += 2 + length
        }
        return out
    }

    /// Standard Huffman tables in, standard tables out (dcmcjpeg -ho); optimised in, optimised out (dcmcjpeg +ho).
    /// Quantisation tables, the frame header, the JFIF marker and an ICC profile are the input's; comments and
    /// the APPn segments that may carry identity or a thumbnail of the uncleaned image (Exif, XMP, a vendor's
    /// APP15) are dropped, by the splicer and by libjpeg's whole transcoding alike (``JPEGBlockSplicerTests``).
    @Test func tablesAndMarkersAreKept() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 128, columns: 128, samples: 3)
        var jpegDescription = description
        jpegDescription.photometric = "YBR_FULL_422"
        func kinds(_ frame: [UInt8], _ marker: UInt8) -> [[UInt8]] { Self.segments(frame).filter { $0.marker == marker }.map(\.payload) }
        var standardTables: [[UInt8]] = []
        for options in [["+eb", "-ho"], ["+eb", "+ho"]] {
            var (_, frame) = try Self.compressed(description, options, directory)
            let jfifEnd = 4 + (Int(frame[4]) << 8 | Int(frame[5]))
            frame.insert(contentsOf: Self.identifyingSegments, at: jfifEnd)
            let out = try JPEGBaselineCodec().redact(frame: frame, description: jpegDescription, rectangles: [PixelRectangle(x: 3, y: 3, width: 30, height: 9)])
            #expect(kinds(out, 0xDB) == kinds(frame, 0xDB), "DQT")
            #expect(kinds(out, 0xC0) == kinds(frame, 0xC0), "SOF0")
            #expect(kinds(out, 0xE0) == kinds(frame, 0xE0) && kinds(out, 0xE0).count == 1, "JFIF kept")
            #expect(kinds(out, 0xE2) == kinds(frame, 0xE2) && kinds(out, 0xE2).count == 1, "ICC profile kept")
            for marker: UInt8 in [0xE1, 0xEF, 0xFE] { #expect(kinds(frame, marker).count >= 1 && kinds(out, marker).isEmpty, "FF \(marker) dropped") }
            #expect(out.firstRange(of: Array("DOE^JANE".utf8)) == nil, "no trace of the segments' text")
            if options.contains("-ho") {
                standardTables = kinds(frame, 0xC4)
                #expect(kinds(out, 0xC4).flatMap { $0 } == standardTables.flatMap { $0 }, "standard DHT kept")
            } else {
                #expect(kinds(out, 0xC4).flatMap { $0 } != standardTables.flatMap { $0 }, "optimised DHT")
            }
        }
    }

    /// APPn and COM segments as a camera or a vendor writes them, naming the patient: an ICC profile (kept), an
    /// Exif APP1, an XMP APP1, a vendor's APP15 and a comment (all dropped).
    static let identifyingSegments: [UInt8] = {
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        return segment(0xE2, Array("ICC_PROFILE".utf8) + [0, 1, 1] + [UInt8](repeating: 0x11, count: 20))
            + segment(0xE1, Array("Exif".utf8) + [0, 0] + Array("MM DOE^JANE 2024:01:02 thumbnail".utf8))
            + segment(0xE1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array("<x>DOE^JANE</x>".utf8))
            + segment(0xEF, Array("DOE^JANE^X".utf8))
            + segment(0xFE, Array("DOE^JANE^X".utf8) + [0])
    }()

    /// Our decode (libjpeg-turbo) and dcmdjpeg agree on a greyscale frame.
    @Test func decodeAgreesWithDcmdjpeg() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 100, columns: 60)
        let (path, frame) = try Self.compressed(description, ["+eb"], directory)
        try CodecTests.expectDecodeAgrees(JPEGBaselineCodec(), frame: frame, description: description,
                                          expected: try Self.decoded(path, directory))
    }

    @Test func twelveBitExtendedIsRefusedAsUnsupported() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 64, columns: 64, bits: 12)
        let (_, frame) = try Self.compressed(description, ["+ee"], directory)
        let error = #expect(throws: PixelDataError.self) {
            try JPEGBaselineCodec().redact(frame: frame, description: description, rectangles: [PixelRectangle(x: 0, y: 0, width: 8, height: 8)])
        }
        #expect(error?.code == .unsupportedTransferSyntax)
        #expect("\(error.map { "\($0)" } ?? "")".contains("12-bit"))
    }

    @Test func rectanglesOutsideTheImageLeaveTheFrameAsItWas() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 64, columns: 64)
        let (_, frame) = try Self.compressed(description, ["+eb"], directory)
        let out = try JPEGBaselineCodec().redact(frame: frame, description: description, rectangles: [PixelRectangle(x: 70, y: 0, width: 8, height: 8)])
        #expect(out == frame.paddedToEven)
    }

    @Test func corruptFramesThrowAndDoNotCrash() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 128, columns: 128)
        let (_, frame) = try Self.compressed(description, ["+eb"], directory)
        let garbage = CodecTests.garbage(seed: 12)
        var flipped = frame
        for i in stride(from: frame.count / 2, to: frame.count - 4, by: 7) { flipped[i] ^= 0x5A }
        let cases: [(String, [UInt8], PixelDescription)] = [
            ("truncated", Array(frame.prefix(frame.count / 2)), description),
            ("garbage", garbage, description),
            ("SOI then garbage", [0xFF, 0xD8] + garbage, description),
            ("empty", [], description),
            ("corrupt scan", flipped, description),
            ("lying Rows", frame, CodecTests.description(rows: 256, columns: 128)),
            // A frame header naming quantisation table 128 (libjpeg reads the header without checking it; found
            // by fuzz-jpeg), or table 3, which no DQT defines.
            ("quantisation table 128", Self.settingQuantisationTable(of: frame, to: 0x80), description),
            ("quantisation table 3", Self.settingQuantisationTable(of: frame, to: 3), description),
        ]
        CodecTests.expectCorruptFramesRefused(JPEGBaselineCodec(), cases, rectangle: PixelRectangle(x: 0, y: 0, width: 16, height: 16))
    }

    /// `frame` with the first component of its SOF0 using quantisation table `table`.
    static func settingQuantisationTable(of frame: [UInt8], to table: UInt8) -> [UInt8] {
        var out = frame
        if let sof = (0..<(frame.count - 12)).first(where: { frame[$0] == 0xFF && frame[$0 + 1] == 0xC0 }) { out[sof + 12] = table }
        return out
    }
}
