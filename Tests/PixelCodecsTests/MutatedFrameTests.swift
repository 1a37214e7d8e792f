import DICOMTestSupport
import Foundation
import PixelCodecs
import PixelData
import Testing

/// Seeded random damage to valid frames of each codec: every call either returns or throws a PixelDataError; none
/// crashes, hangs or throws anything else. Damage the codec cannot detect (a changed coefficient) decodes to other
/// pixels; that is what a corrupt file holds, and the call returns.
@Suite(.enabled(if: Peer.runnable(.dcmcjpeg, .dcmcjpls, .gdcmconv),
                Comment(rawValue: Peer.skipReason(.dcmcjpeg, .dcmcjpls, .gdcmconv))))
struct MutatedFrameTests {
    static func frame(_ tool: Peer, _ options: [String], _ description: PixelDescription) throws -> [UInt8] {
        let directory = try TemporaryDirectory(); defer { directory.remove() }
        let native = try CodecTests.write(CodecTests.nativeFile(description, pixels: CodecTests.pixels(description)), directory, "native.dcm")
        let path = directory.url.appendingPathComponent("out.dcm").path
        try CodecTests.run(tool, options + [native, path])
        return try CodecTests.frame(ofFile: path).frame
    }

    @Test func damagedFramesThrowOrDecodeButNeverCrash() throws {
        let grey = CodecTests.description(rows: 48, columns: 40, bits: 8)
        let colour = CodecTests.description(rows: 48, columns: 40, samples: 3)
        var ybr = colour
        ybr.photometric = "YBR_FULL_422"
        let frames: [(String, any FrameCodec, [UInt8], PixelDescription)] = [
            ("JPEG grey", JPEGBaselineCodec(), try Self.frame(CodecTests.dcmcjpeg, ["+eb"], grey), grey),
            ("JPEG colour", JPEGBaselineCodec(), try Self.frame(CodecTests.dcmcjpeg, ["+eb"], colour), ybr),
            ("JPEG-LS grey", JPEGLSCodec(), try Self.frame(CodecTests.dcmcjpls, [], grey), grey),
            ("JPEG-LS colour", JPEGLSCodec(), try Self.frame(CodecTests.dcmcjpls, ["+in"], colour), colour),
            ("JPEG 2000 grey", JPEG2000Codec(), try Self.frame(CodecTests.gdcmconv, ["--j2k"], grey), grey),
            ("JPEG 2000 colour", JPEG2000Codec(), try Self.frame(CodecTests.gdcmconv, ["--j2k"], colour), colour),
        ]
        var random = SeededGenerator(seed: 2026)
        let rectangle = [PixelRectangle(x: 5, y: 5, width: 20, height: 10)]
        for (name, codec, frame, description) in frames {
            var thrown = 0
            let clock = ContinuousClock(), started = clock.now
            for round in 0..<150 {
                var damaged = frame
                switch round % 3 {
                case 0:  // a few random bytes overwritten anywhere, headers included
                    for _ in 0..<(1 + Int(random.next() % 4)) {
                        damaged[Int(random.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: random.next())
                    }
                case 1:  // cut short
                    damaged = Array(damaged.prefix(Int(random.next() % UInt64(damaged.count))))
                default:  // a run of bytes repeated or dropped
                    let at = Int(random.next() % UInt64(damaged.count)), count = Int(random.next() % 32)
                    if random.next() % 2 == 0 {
                        damaged.insert(contentsOf: damaged[at..<min(damaged.count, at + count)], at: at)
                    } else {
                        damaged.removeSubrange(at..<min(damaged.count, at + count))
                    }
                }
                do {
                    _ = try codec.redact(frame: damaged, description: description, rectangles: rectangle)
                    _ = try codec.decode(frame: damaged, description: description)
                } catch {
                    thrown += 1
                    #expect(!error.description.isEmpty && !error.description.contains("\n"))
                }
            }
            let elapsed = clock.now - started
            print("\(name): \(thrown) of 150 damaged frames refused, \(elapsed) for all")
            // CharLS took seconds per truncated stream before the EOI check; keep such slow paths out.
            #expect(elapsed < .seconds(30), "\(name)")
            #expect(thrown > 0, "\(name)")
        }
    }
}
