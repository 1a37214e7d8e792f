import DICOMTestSupport
import Foundation
import PixelCodecs
import PixelData
import Testing

/// JPEG 2000 frames made by GDCM's `gdcmconv --j2k`, cleaned by OpenJPEG through our codec, checked by GDCM's
/// decoder (`gdcmconv --raw`).
@Suite(.enabled(if: Peer.runnable(.gdcmconv), Comment(rawValue: Peer.skipReason(.gdcmconv))))
struct JPEG2000CodecTests {
    static let rectangles = [PixelRectangle(x: 37, y: 45, width: 100, height: 20), PixelRectangle(x: 300, y: 401, width: 9, height: 9),
                             PixelRectangle(x: 500, y: 500, width: 40, height: 40)]

    struct Case: CustomTestStringConvertible, Sendable {
        var samples = 1, bits = 8, signed = false, photometric: String? = nil, options: [String] = []
        var testDescription: String { "\(samples)x\(bits)\(signed ? "s" : "u") \(photometric ?? "") \(options.joined(separator: " "))" }
    }

    static let cases: [Case] = [
        Case(), Case(bits: 12), Case(bits: 16), Case(bits: 12, signed: true), Case(bits: 16, signed: true),
        Case(photometric: "MONOCHROME1"), Case(samples: 3),
    ]

    static func compressed(_ description: PixelDescription, _ options: [String], _ directory: TemporaryDirectory)
        throws -> (path: String, frame: [UInt8]) {
        let native = try CodecTests.write(CodecTests.nativeFile(description, pixels: CodecTests.pixels(description)), directory, "native.dcm")
        let path = directory.url.appendingPathComponent("j2k.dcm").path
        try CodecTests.run(CodecTests.gdcmconv, ["--j2k"] + options + [native, path])
        return (path, try CodecTests.frame(ofFile: path).frame)
    }

    static func decoded(_ path: String) throws -> [UInt8] {
        try CodecTests.run(CodecTests.gdcmconv, ["--raw", path, path + ".raw.dcm"])
        return try CodecTests.nativePixels(ofFile: path + ".raw.dcm")
    }

    static func check(_ test: Case, size: Int = 512) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: size, columns: size, samples: test.samples, bits: test.bits,
                                                 signed: test.signed, photometric: test.photometric)
        let (path, frame) = try compressed(description, test.options, directory)
        #expect(frame.starts(with: [0xFF, 0x4F, 0xFF, 0x51]), "gdcmconv wrote a J2K codestream")
        let lossy = test.options.contains("--lossy")
        #expect(try CodecTests.frame(ofFile: path).transferSyntax == (lossy ? JPEG2000Codec.lossyUID : JPEG2000Codec.losslessUID))
        let codec = JPEG2000Codec()
        let redacted = try codec.redact(frame: frame, description: description, rectangles: rectangles)
        #expect(redacted.count % 2 == 0 && redacted.starts(with: [0xFF, 0x4F, 0xFF, 0x51]))
        let redactedPath = try CodecTests.replacingFrame(ofFile: path, with: redacted, directory, "redacted.dcm")
        let before = CodecTests.samples(try decoded(path), bitsAllocated: description.bitsAllocated, bits: test.bits)
        let after = CodecTests.samples(try decoded(redactedPath), bitsAllocated: description.bitsAllocated, bits: test.bits)
        try #require(before.count == size * size * test.samples && after.count == before.count)
        let top = 1 << test.bits
        let black: [Int] = switch (test.samples, test.photometric, test.signed) {
        case (1, "MONOCHROME1", _): [top - 1]
        case (1, _, true): [top / 2]
        case (1, _, false): [0]
        default: [0, 0, 0]
        }
        var inside = PixelMask(columns: size, rows: size)
        for rectangle in rectangles { if let clipped = rectangle.clipped(columns: size, rows: size) { inside.mark(clipped) } }
        var wrongInside = 0, changedOutside = 0, differsFromOriginal = 0
        let original = CodecTests.samples(CodecTests.pixels(description), bitsAllocated: description.bitsAllocated, bits: test.bits)
        for row in 0..<size {
            for column in 0..<size {
                for component in 0..<test.samples {
                    let i = (row * size + column) * test.samples + component
                    if inside[column, row] {
                        if after[i] != black[component] { wrongInside += 1 }
                    } else if after[i] != before[i] {
                        changedOutside += 1
                    }
                    if original[i] != before[i] { differsFromOriginal += 1 }
                }
            }
        }
        #expect(wrongInside == 0, "\(test.testDescription): every sample inside the rectangles is black")
        #expect(changedOutside == 0, "\(test.testDescription): every sample outside the rectangles as the input decodes")
        // Lossless input decodes to the original pixels; lossy input does not (so the test is about lossy frames).
        #expect(lossy ? differsFromOriginal > 0 : differsFromOriginal == 0)
    }

    @Test(arguments: cases)
    func losslessFramesAreBlankInsideAndBitExactOutside(_ test: Case) throws {
        try Self.check(test)
    }

    /// Irreversible 9/7 input (.91): decoded, blanked, written back losslessly.
    @Test(arguments: [Case(options: ["--lossy", "-q", "30"]), Case(samples: 3, options: ["--lossy", "--irreversible", "-q", "30"])])
    func lossyFramesAreWrittenBackLosslessly(_ test: Case) throws {
        try Self.check(test)
    }

    @Test(arguments: [Case(), Case(bits: 12, signed: true), Case(samples: 3)])
    func decodeAgreesWithGDCM(_ test: Case) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 70, columns: 90, samples: test.samples, bits: test.bits, signed: test.signed)
        let (path, frame) = try Self.compressed(description, test.options, directory)
        try CodecTests.expectDecodeAgrees(JPEG2000Codec(), frame: frame, description: description, expected: try Self.decoded(path))
    }

    @Test func corruptFramesThrowAndDoNotCrash() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 128, columns: 128)
        let (_, frame) = try Self.compressed(description, [], directory)
        let garbage = CodecTests.garbage(seed: 5)
        let cases: [(String, [UInt8], PixelDescription)] = [
            ("truncated", Array(frame.prefix(frame.count / 2)), description),
            ("header only", Array(frame.prefix(60)), description),
            ("garbage", garbage, description),
            ("SOC SIZ then garbage", [0xFF, 0x4F, 0xFF, 0x51] + garbage, description),
            ("empty", [], description),
            ("lying Rows", frame, CodecTests.description(rows: 127, columns: 128)),
        ]
        CodecTests.expectCorruptFramesRefused(JPEG2000Codec(), cases)
        var flipped = frame
        for i in stride(from: frame.count / 2, to: frame.count - 4, by: 5) { flipped[i] ^= 0xA5 }
        _ = try? JPEG2000Codec().redact(frame: flipped, description: description, rectangles: [PixelRectangle(x: 0, y: 0, width: 9, height: 9)])
    }
}
