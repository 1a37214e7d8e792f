import DICOMTestSupport
import Foundation
import PixelCodecs
import PixelData
import Testing

/// JPEG-LS frames made by dcmtk's `dcmcjpls`, cleaned by CharLS, checked with dcmtk's `dcmdjpls` (its own
/// JPEG-LS code, not the system CharLS).
@Suite(.enabled(if: Peer.runnable(.dcmcjpls, .dcmdjpls), Comment(rawValue: Peer.skipReason(.dcmcjpls, .dcmdjpls))))
struct JPEGLSCodecTests {
    static let rectangles = [PixelRectangle(x: 37, y: 45, width: 100, height: 20), PixelRectangle(x: 300, y: 401, width: 9, height: 9),
                             PixelRectangle(x: 500, y: 500, width: 40, height: 40)]

    struct Case: CustomTestStringConvertible, Sendable {
        var samples = 1, bits = 8, signed = false, photometric: String? = nil, options: [String] = []
        var testDescription: String { "\(samples)x\(bits)\(signed ? "s" : "u") \(photometric ?? "") \(options.joined(separator: " "))" }
    }

    static let cases: [Case] = [
        Case(), Case(bits: 12), Case(bits: 16), Case(bits: 12, signed: true), Case(photometric: "MONOCHROME1"),
        Case(samples: 3), Case(samples: 3, options: ["+in"]), Case(samples: 3, options: ["+is"]),
        Case(samples: 3, photometric: "YBR_FULL"),
        Case(bits: 12, options: ["+t1", "5", "+t2", "11", "+t3", "30", "+rs", "32"]),
    ]

    /// dcmcjpls's frame of a synthetic image, the compressed file's path, and dcmdjpls's pixels of it.
    static func compressed(_ description: PixelDescription, _ options: [String], _ directory: TemporaryDirectory)
        throws -> (path: String, frame: [UInt8]) {
        let native = try CodecTests.write(CodecTests.nativeFile(description, pixels: CodecTests.pixels(description)), directory, "native.dcm")
        let path = directory.url.appendingPathComponent("jls.dcm").path
        try CodecTests.run(CodecTests.dcmcjpls, options + [native, path])
        return (path, try CodecTests.frame(ofFile: path).frame)
    }

    static func decoded(_ path: String) throws -> [UInt8] {
        try CodecTests.run(CodecTests.dcmdjpls, ["+px", path, path + ".raw.dcm"])
        return try CodecTests.nativePixels(ofFile: path + ".raw.dcm")
    }

    /// Redacts with `codec`, then checks with dcmdjpls: blank inside, and outside within `tolerance` (0: exact).
    static func check(_ test: Case, codec: JPEGLSCodec = JPEGLSCodec(), tolerance: Int = 0, size: Int = 512) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: size, columns: size, samples: test.samples, bits: test.bits,
                                                 signed: test.signed, photometric: test.photometric)
        let (path, frame) = try compressed(description, test.options, directory)
        let redacted = try codec.redact(frame: frame, description: description, rectangles: rectangles)
        #expect(redacted.count % 2 == 0)
        let redactedPath = try CodecTests.replacingFrame(ofFile: path, with: redacted, directory, "redacted.dcm")
        let before = CodecTests.samples(try decoded(path), bitsAllocated: description.bitsAllocated, bits: test.bits)
        let after = CodecTests.samples(try decoded(redactedPath), bitsAllocated: description.bitsAllocated, bits: test.bits)
        try #require(before.count == size * size * test.samples && after.count == before.count)
        let top = 1 << test.bits
        let black: [Int] = switch (test.samples, test.photometric, test.signed) {
        case (1, "MONOCHROME1", _): [top - 1]
        case (1, _, true): [top / 2]
        case (1, _, false): [0]
        case (_, "YBR_FULL", _): [0, top / 2, top / 2]
        default: [0, 0, 0]
        }
        var inside = PixelMask(columns: size, rows: size)
        for rectangle in rectangles { if let clipped = rectangle.clipped(columns: size, rows: size) { inside.mark(clipped) } }
        var wrongInside = 0, changedOutside = 0, worst = 0
        for row in 0..<size {
            for column in 0..<size {
                for component in 0..<test.samples {
                    let i = (row * size + column) * test.samples + component
                    if inside[column, row] {
                        if abs(after[i] - black[component]) > tolerance { wrongInside += 1 }
                    } else if abs(after[i] - before[i]) > tolerance {
                        changedOutside += 1
                    } else {
                        worst = max(worst, abs(after[i] - before[i]))
                    }
                }
            }
        }
        #expect(wrongInside == 0, "\(test.testDescription): every sample inside the rectangles is black (within \(tolerance))")
        #expect(changedOutside == 0, "\(test.testDescription): outside the rectangles within \(tolerance) of the original")
        if tolerance == 0 { #expect(worst == 0) }
    }

    @Test(arguments: cases)
    func losslessFramesAreBlankInsideAndBitExactOutside(_ test: Case) throws {
        try Self.check(test)
    }

    /// dcmcjpls +en: NEAR 2. Same NEAR: outside within 2 of the decoded input; lossless policy: exact.
    @Test func nearLosslessFramesKeepTheirNearOrGoLossless() throws {
        try Self.check(Case(options: ["+en"]), tolerance: 2)
        try Self.check(Case(options: ["+en"]), codec: JPEGLSCodec(nearLosslessPolicy: .lossless), tolerance: 0)
        try Self.check(Case(samples: 3, options: ["+en", "+md", "3"]), codec: JPEGLSCodec(nearLosslessPolicy: .lossless), tolerance: 0)
    }

    @Test(arguments: [Case(), Case(bits: 12, signed: true), Case(samples: 3, options: ["+in"])])
    func decodeAgreesWithDcmdjpls(_ test: Case) throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 70, columns: 90, samples: test.samples, bits: test.bits, signed: test.signed)
        let (path, frame) = try Self.compressed(description, test.options, directory)
        try CodecTests.expectDecodeAgrees(JPEGLSCodec(), frame: frame, description: description, expected: try Self.decoded(path))
    }

    @Test func corruptFramesThrowAndDoNotCrash() throws {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let description = CodecTests.description(rows: 128, columns: 128)
        let (_, frame) = try Self.compressed(description, [], directory)
        let garbage = CodecTests.garbage(seed: 3)
        var flipped = frame
        for i in stride(from: frame.count / 2, to: frame.count - 4, by: 5) { flipped[i] ^= 0xA5 }
        let cases: [(String, [UInt8], PixelDescription)] = [
            ("truncated", Array(frame.prefix(frame.count / 2)), description),
            ("garbage", garbage, description),
            ("SOI then garbage", [0xFF, 0xD8] + garbage, description),
            ("empty", [], description),
            ("lying Columns", frame, CodecTests.description(rows: 128, columns: 130)),
            ("lying Samples per Pixel", frame, CodecTests.description(rows: 128, columns: 128, samples: 3)),
        ]
        CodecTests.expectCorruptFramesRefused(JPEGLSCodec(), cases)
        // Bit errors in the scan may still decode to something (JPEG-LS has no check sum); it must not crash.
        _ = try? JPEGLSCodec().redact(frame: flipped, description: description, rectangles: [PixelRectangle(x: 0, y: 0, width: 9, height: 9)])
    }
}
