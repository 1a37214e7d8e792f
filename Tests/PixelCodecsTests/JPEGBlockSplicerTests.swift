import DICOMTestSupport
import Foundation
@testable import PixelCodecs
import PixelData
import Testing

/// The entropy-code splicer against libjpeg's whole transcoding of the same coefficients: for streams of every
/// structure cjpeg (libjpeg-turbo-progs) and dcmcjpeg write (grey, colour with 4:4:4, 4:2:2 and 4:2:0
/// sampling, RGB, restart intervals in rows and in MCUs, one scan per component, standard and optimised
/// Huffman tables, image sizes that leave partial MCUs), both outputs decode to the same pixels, and the
/// splicer's keeps every byte before the first changed interval.
@Suite(.enabled(if: Peer.runnable(.cjpeg), Comment(rawValue: Peer.skipReason(.cjpeg))))
struct JPEGBlockSplicerTests {
    struct Stream: CustomTestStringConvertible, Sendable {
        var name: String
        var columns: Int
        var rows: Int
        var colour: Bool
        var options: [String]
        var testDescription: String { name }
    }

    static let streams: [Stream] = [
        Stream(name: "grey, standard tables", columns: 256, rows: 192, colour: false, options: ["-grayscale"]),
        Stream(name: "grey, optimised tables", columns: 256, rows: 192, colour: false, options: ["-grayscale", "-optimize"]),
        Stream(name: "grey, odd size, restart every 3 MCUs", columns: 101, rows: 77, colour: false, options: ["-grayscale", "-restart", "3B"]),
        Stream(name: "grey, restart every row, quality 95", columns: 200, rows: 120, colour: false,
               options: ["-grayscale", "-restart", "1", "-quality", "95"]),
        Stream(name: "YCbCr 4:2:0, odd size", columns: 101, rows: 77, colour: true, options: ["-sample", "2x2"]),
        Stream(name: "YCbCr 4:2:2, restart every 5 MCUs", columns: 160, rows: 96, colour: true, options: ["-sample", "2x1", "-restart", "5B"]),
        Stream(name: "YCbCr 4:4:4, optimised", columns: 128, rows: 128, colour: true, options: ["-sample", "1x1", "-optimize"]),
        Stream(name: "YCbCr 4:2:0, one scan per component", columns: 120, rows: 90, colour: true, options: ["-sample", "2x2", "-scans", "SCANS"]),
        Stream(name: "RGB, restart every 2 rows", columns: 96, rows: 64, colour: true, options: ["-rgb", "-restart", "2"]),
        Stream(name: "grey, quality 30", columns: 64, rows: 64, colour: false, options: ["-grayscale", "-quality", "30"]),
    ]

    /// Rectangle sets: a banner, scattered boxes, one pixel in the last block, the whole image, and random boxes.
    static func rectangleSets(columns: Int, rows: Int) -> [[PixelRectangle]] {
        var random = SeededGenerator(seed: UInt64(columns * 1000 + rows))
        let randomBoxes = (0..<6).map { _ in
            PixelRectangle(x: Int(random.next() % UInt64(columns)), y: Int(random.next() % UInt64(rows)),
                           width: 1 + Int(random.next() % 40), height: 1 + Int(random.next() % 30))
        }
        return [
            [PixelRectangle(x: 0, y: 0, width: columns, height: 20)],
            [PixelRectangle(x: 9, y: 17, width: 30, height: 11), PixelRectangle(x: columns / 2, y: rows / 2, width: 17, height: 23)],
            [PixelRectangle(x: columns - 1, y: rows - 1, width: 1, height: 1)],
            [PixelRectangle(x: 0, y: 0, width: columns, height: rows)],
            randomBoxes,
        ]
    }

    /// cjpeg's JPEG of the synthetic image CodecTests draws.
    static func compress(_ stream: Stream, _ directory: TemporaryDirectory) throws -> [UInt8] {
        let description = CodecTests.description(rows: stream.rows, columns: stream.columns, samples: stream.colour ? 3 : 1)
        let header = Array("P\(stream.colour ? 6 : 5) \(stream.columns) \(stream.rows) 255\n".utf8)
        let image = try CodecTests.write(header + CodecTests.pixels(description), directory, "image.pnm")
        let scans = try CodecTests.write(Array("0;\n1;\n2;\n".utf8), directory, "scans.txt")
        let output = directory.url.appendingPathComponent("image.jpg").path
        try CodecTests.run(CodecTests.cjpeg, stream.options.map { $0 == "SCANS" ? scans : $0 } + ["-outfile", output, image])
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    @Test(arguments: streams)
    func splicedAndTranscodedFramesDecodeAlike(_ stream: Stream) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let frame = try Self.compress(stream, directory)
        var description = CodecTests.description(rows: stream.rows, columns: stream.columns, samples: stream.colour ? 3 : 1)
        description.photometric = !stream.colour ? "MONOCHROME2" : stream.options.contains("-rgb") ? "RGB" : "YBR_FULL"
        let codec = JPEGBaselineCodec()
        var spliced = 0
        for rectangles in Self.rectangleSets(columns: stream.columns, rows: stream.rows) {
            let clipped = description.clip(rectangles)
            let (ranges, dc) = try codec.blocks(frame, description, clipped)
            let transcoded = try LibJPEGJob.redact(frame) { _ in (ranges, dc) }
            switch JPEGBlockSplicer.redact(frame, ranges: ranges, dc: dc) {
            case .success(let output):
                spliced += 1
                #expect(try codec.decode(frame: output, description: description) == codec.decode(frame: transcoded, description: description),
                        "\(rectangles)")
                #expect(try codec.decode(frame: output, description: description) != codec.decode(frame: frame, description: description))
            case .failure(let refusal):
                // Only an optimised table may lack a code the new blocks need.
                #expect(stream.options.contains("-optimize"), "\(refusal)")
                #expect("\(refusal)".contains("no code for difference category") || "\(refusal)".contains("no end of block"))
            }
        }
        if !stream.options.contains("-optimize") { #expect(spliced == 5) }
    }

    /// The blocks before the first touched one are copied as they are: a box in the last row of a frame
    /// without restart intervals changes nothing before the scan's last bytes, and with restart intervals
    /// every interval but the last is byte for byte the input's.
    @Test func everythingBeforeTheFirstChangedBlockIsKept() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        for (options, restart) in [(["-grayscale"], false), (["-grayscale", "-restart", "1"], true)] {
            let stream = Stream(name: "", columns: 256, rows: 192, colour: false, options: options)
            let frame = try Self.compress(stream, directory)
            let description = CodecTests.description(rows: 192, columns: 256)
            let (ranges, dc) = try JPEGBaselineCodec().blocks(frame, description, [PixelRectangle(x: 250, y: 190, width: 2, height: 2)])
            let output = try JPEGBlockSplicer.redact(frame, ranges: ranges, dc: dc).get()
            let common = zip(frame, output).prefix { $0 == $1 }.count
            #expect(common > frame.count * 9 / 10, "\(common) of \(frame.count) bytes in common")
            if restart {
                let lastRestart = try #require((0..<(frame.count - 1)).last { frame[$0] == 0xFF && (0xD0...0xD7).contains(frame[$0 + 1]) })
                #expect(common > lastRestart)
            }
        }
    }

    /// Why the splicer declines `frame` with `rectangles`, or nil (and an issue recorded) when it splices it.
    static func refusal(_ frame: [UInt8], _ description: PixelDescription, _ rectangles: [PixelRectangle],
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> JPEGSpliceRefusal? {
        let (ranges, dc) = try JPEGBaselineCodec().blocks(frame, description, description.clip(rectangles))
        guard case .failure(let refusal) = JPEGBlockSplicer.redact(frame, ranges: ranges, dc: dc) else {
            Issue.record("spliced, not declined", sourceLocation: sourceLocation)
            return nil
        }
        return refusal
    }

    /// A stream the splicer declines, and the words of its reason.
    struct Declined: CustomTestStringConvertible, Sendable {
        var name: String
        var options: [String]
        /// A flat mid-grey image instead of the synthetic one: an optimised DC table then codes only the
        /// differences that image needs, not the jump to black.
        var flat: Bool
        var reason: String
        var testDescription: String { name }
    }

    /// Streams the splicer leaves to libjpeg, each with its reason; the codec still blanks them, and every pixel
    /// outside the touched block decodes as before.
    @Test(arguments: [
        Declined(name: "progressive", options: ["-grayscale", "-progressive"], flat: false, reason: "FF C2"),
        Declined(name: "optimised DC table without the category", options: ["-grayscale", "-optimize"], flat: true,
                 reason: "no code for difference category"),
    ])
    func declinedFramesAreTranscodedByLibjpeg(_ declined: Declined) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 64, columns: 64)
        let pixels = declined.flat ? [UInt8](repeating: 128, count: 64 * 64) : CodecTests.pixels(description)
        let image = try CodecTests.write(Array("P5 64 64 255\n".utf8) + pixels, directory, "image.pgm")
        let output = directory.url.appendingPathComponent("image.jpg").path
        try CodecTests.run(CodecTests.cjpeg, declined.options + ["-outfile", output, image])
        let frame = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
        let rectangles = [PixelRectangle(x: 8, y: 8, width: 8, height: 8)]
        guard let refusal = try Self.refusal(frame, description, rectangles) else { return }
        #expect("\(refusal)".contains(declined.reason), "\(refusal)")
        let codec = JPEGBaselineCodec()
        let before = try codec.decode(frame: frame, description: description)
        let after = try codec.decode(frame: try codec.redact(frame: frame, description: description, rectangles: rectangles), description: description)
        for index in 0..<(64 * 64) {
            let inside = (8..<16).contains(index % 64) && (8..<16).contains(index / 64)
            #expect(inside ? after[index] == 0 : after[index] == before[index], "pixel \(index % 64), \(index / 64)")
        }
    }
}

extension JPEGBlockSplicerTests {
    /// The splicer and libjpeg's whole transcoding keep the same marker segments: the JFIF marker (without a
    /// thumbnail), an ICC profile and the Adobe marker; Exif, XMP, other APPn and COM are dropped by both.
    @Test(arguments: [["-grayscale"], ["-rgb"]])
    func bothPathsKeepTheSameSegments(_ options: [String]) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let colour = options.contains("-rgb")
        var frame = try Self.compress(Stream(name: "", columns: 64, rows: 48, colour: colour, options: options), directory)
        let description = CodecTests.description(rows: 48, columns: 64, samples: colour ? 3 : 1)
        // cjpeg starts with a JFIF marker (grey) or an Adobe marker (RGB); the JFIF marker gets a 1 x 1 thumbnail,
        // as some cameras write one.
        let firstLength = Int(frame[4]) << 8 | Int(frame[5])
        var first = Array(frame[6..<(4 + firstLength)])
        #expect(frame[3] == (colour ? 0xEE : 0xE0))
        if colour {
            first += Array("DOE^JANE 19700101".utf8)  // bytes after the Adobe marker's 12, which no decoder reads
        } else {
            first[12] = 1; first[13] = 1
            first += [0x7F, 0x7F, 0x7F]
        }
        frame.replaceSubrange(2..<(4 + firstLength), with: [0xFF, frame[3], 0x00, UInt8(first.count + 2)] + first)
        frame.insert(contentsOf: JPEGBaselineCodecTests.identifyingSegments, at: 4 + first.count + 2)
        let (ranges, dc) = try JPEGBaselineCodec().blocks(frame, description, [PixelRectangle(x: 0, y: 0, width: 8, height: 8)])
        let spliced = try JPEGBlockSplicer.redact(frame, ranges: ranges, dc: dc).get()
        let transcoded = try LibJPEGJob.redact(frame) { _ in (ranges, dc) }
        func applicationSegments(_ frame: [UInt8]) -> [[UInt8]] {
            JPEGBaselineCodecTests.segments(frame).filter { (0xE0...0xEF).contains($0.marker) || $0.marker == 0xFE }.map { [$0.marker] + $0.payload }
        }
        #expect(applicationSegments(spliced) == applicationSegments(transcoded))
        #expect(applicationSegments(spliced).map(\.first) == [colour ? 0xEE : 0xE0, 0xE2], "JFIF or Adobe, and the ICC profile")
        if !colour { #expect(applicationSegments(spliced).first.map { Array($0[13...14]) } == [0, 0], "no JFIF thumbnail") }
        #expect(spliced.firstRange(of: Array("DOE^JANE".utf8)) == nil)
    }
}

/// What a review of the splicer found (each fixed; these keep it so).
extension JPEGBlockSplicerTests {
    /// A marker segment: FF, its code, its length, its payload.
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    /// An RST marker before the first segment stands alone: reading a length after it (as the frame-header walk
    /// once did) found a decoy SOF inside an APP1 segment, the size check passed against the decoy, and the block
    /// plan trapped on libjpeg's real, smaller size. Now both see the real frame header, and the frame is refused.
    @Test func aRestartMarkerBeforeTheFrameHeaderDoesNotHideIt() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let real = try Self.compress(Stream(name: "", columns: 8, rows: 8, colour: false, options: ["-grayscale"]), directory)
        // FF D0 read as if it had a length (FF E1 = 65505) lands at offset 65509: put the decoy SOF there.
        var app1 = [UInt8](repeating: 0x20, count: 65533)
        let decoy: [UInt8] = [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x18, 0x00, 0x28, 0x01, 0x01, 0x11, 0x00]
        app1.replaceSubrange((65509 - 8)..<(65509 - 8 + decoy.count), with: decoy)
        let frame = [0xFF, 0xD8, 0xFF, 0xD0, 0xFF, 0xE1, 0xFF, 0xFF] + app1 + Array(real.dropFirst(2))
        let description = CodecTests.description(rows: 24, columns: 40)
        let error = #expect(throws: PixelDataError.self) {
            try JPEGBaselineCodec().redact(frame: frame, description: description, rectangles: [PixelRectangle(x: 32, y: 16, width: 8, height: 8)])
        }
        #expect(error?.code == .corruptFrame, "\(String(describing: error))")
    }

    /// Bytes that are no block's, in a restart interval with nothing to blank (text, say), are refused: every
    /// interval is decoded, not only those with blanked blocks.
    @Test func junkInAnUntouchedRestartIntervalIsRefused() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        var frame = try Self.compress(Stream(name: "", columns: 64, rows: 64, colour: false, options: ["-grayscale", "-restart", "1"]), directory)
        let lastRestart = try #require((0..<(frame.count - 1)).last { frame[$0] == 0xFF && (0xD0...0xD7).contains(frame[$0 + 1]) })
        frame.insert(contentsOf: Array("DOE^JANE".utf8), at: lastRestart)
        let description = CodecTests.description(rows: 64, columns: 64)
        let rectangles = [PixelRectangle(x: 0, y: 0, width: 8, height: 8)]
        guard try Self.refusal(frame, description, rectangles) != nil else { return }
        let error = #expect(throws: PixelDataError.self) {
            try JPEGBaselineCodec().redact(frame: frame, description: description, rectangles: rectangles)
        }
        #expect(error?.code == .corruptFrame)
    }

    /// Huffman tables libjpeg refuses, the splicer refuses too: a DC symbol over 15, a code of all ones.
    @Test(arguments: [(UInt8(16), "over 15"), (UInt8(5), "all ones")])
    func huffmanTablesLibjpegRefusesAreRefused(_ added: (symbol: UInt8, reason: String)) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let frame = try Self.compress(Stream(name: "", columns: 64, rows: 64, colour: false, options: ["-grayscale"]), directory)
        // cjpeg's standard luminance DC table (B.2.4.2, K.3): one more code of 9 bits.
        let dht = try #require((0..<(frame.count - 5)).first { frame[$0] == 0xFF && frame[$0 + 1] == 0xC4 && frame[$0 + 4] == 0x00 })
        let length = Int(frame[dht + 2]) << 8 | Int(frame[dht + 3])
        var payload = Array(frame[(dht + 4)..<(dht + 2 + length)])
        let total = payload[1...16].reduce(0) { $0 + Int($1) }
        payload[9] += 1
        payload.insert(added.symbol, at: 17 + total)
        let crafted = Array(frame[..<dht]) + Self.segment(0xC4, payload) + Array(frame[(dht + 2 + length)...])
        let description = CodecTests.description(rows: 64, columns: 64)
        let rectangles = [PixelRectangle(x: 0, y: 0, width: 8, height: 8)]
        guard let refusal = try Self.refusal(crafted, description, rectangles) else { return }
        #expect("\(refusal)".contains(added.reason), "\(refusal)")
        #expect(throws: PixelDataError.self) { try JPEGBaselineCodec().redact(frame: crafted, description: description, rectangles: rectangles) }
    }

    /// A JFIF marker after the first scan of an RGB frame does not decide its colour space (libjpeg reads that
    /// from the markers before the first scan): libjpeg's transcoding must not write it in front, where it would
    /// make the frame YCbCr. Both paths decode alike.
    @Test func aJFIFMarkerAfterTheFirstScanChangesNothing() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        var frame = try Self.compress(Stream(name: "", columns: 64, rows: 48, colour: true, options: ["-rgb", "-scans", "SCANS"]), directory)
        let secondScan = try #require((2..<(frame.count - 1)).filter { frame[$0] == 0xFF && frame[$0 + 1] == 0xDA }.dropFirst().first)
        frame.insert(contentsOf: Self.segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), at: secondScan)
        var description = CodecTests.description(rows: 48, columns: 64, samples: 3)
        description.photometric = "RGB"
        let codec = JPEGBaselineCodec()
        let (ranges, dc) = try codec.blocks(frame, description, [PixelRectangle(x: 0, y: 0, width: 8, height: 8)])
        let spliced = try JPEGBlockSplicer.redact(frame, ranges: ranges, dc: dc).get()
        let transcoded = try LibJPEGJob.redact(frame) { _ in (ranges, dc) }
        #expect(try codec.decode(frame: spliced, description: description) == codec.decode(frame: transcoded, description: description))
    }
}

extension JPEGBlockSplicerTests {
    /// Fill bytes before a stuffed zero (FF FF 00 inside entropy-coded data, found by the differential fuzz
    /// target) are not JPEG, and libjpeg-turbo reads them one way or another depending on its decoding path: the
    /// splicer declines such a frame, and the codec's output decodes as libjpeg's transcoding does.
    @Test func fillBytesBeforeAStuffedZeroAreLeftToLibjpeg() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        var frame = try Self.compress(Stream(name: "", columns: 96, rows: 96, colour: false, options: ["-grayscale", "-quality", "100"]), directory)
        let scan = try #require((2..<(frame.count - 1)).first { frame[$0] == 0xFF && frame[$0 + 1] == 0xDA })
        let stuffed = try #require(((scan + 14)..<(frame.count - 1)).first { frame[$0] == 0xFF && frame[$0 + 1] == 0x00 },
                                   "the image codes an FF byte somewhere")
        frame.insert(contentsOf: [0xFF, 0xFF], at: stuffed)
        let description = CodecTests.description(rows: 96, columns: 96)
        let rectangles = [PixelRectangle(x: 80, y: 80, width: 16, height: 16)]
        guard let refusal = try Self.refusal(frame, description, rectangles) else { return }
        #expect("\(refusal)".contains("fill bytes"))
        let codec = JPEGBaselineCodec()
        let written = try codec.redact(frame: frame, description: description, rectangles: rectangles)
        let transcoded = try codec.redactTranscodingWhole(frame: frame, description: description, rectangles: rectangles)
        #expect(try codec.decode(frame: written, description: description) == codec.decode(frame: transcoded, description: description))
    }
}
