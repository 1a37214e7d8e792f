import DICOMTestSupport
import Dispatch
import Foundation
import PixelCodecs
import PixelData
import Testing

/// The batch runner cleans files on several threads at once: each call owns its library objects, so concurrent
/// calls give the same bytes as one at a time.
@Suite(.enabled(if: Peer.runnable(.dcmcjpeg, .dcmcjpls, .gdcmconv),
                Comment(rawValue: Peer.skipReason(.dcmcjpeg, .dcmcjpls, .gdcmconv))))
struct ConcurrentRedactionTests {
    @Test func concurrentCallsGiveTheSameBytes() throws {
        let description = CodecTests.description(rows: 96, columns: 80)
        let cases: [(any FrameCodec, [UInt8])] = [
            (JPEGBaselineCodec(), try MutatedFrameTests.frame(CodecTests.dcmcjpeg, ["+eb"], description)),
            (JPEGLSCodec(), try MutatedFrameTests.frame(CodecTests.dcmcjpls, [], description)),
            (JPEG2000Codec(), try MutatedFrameTests.frame(CodecTests.gdcmconv, ["--j2k"], description)),
        ]
        let rectangles = [PixelRectangle(x: 10, y: 20, width: 30, height: 15)]
        let expected = try cases.map { try $0.0.redact(frame: $0.1, description: description, rectangles: rectangles) }
        let results = Results(count: 48)
        DispatchQueue.concurrentPerform(iterations: 48) { index in
            let (codec, frame) = cases[index % cases.count]
            results.set(index, try? codec.redact(frame: frame, description: description, rectangles: rectangles))
        }
        for index in 0..<48 { #expect(results.get(index) == expected[index % cases.count], "call \(index)") }
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[UInt8]?]

    init(count: Int) { values = [[UInt8]?](repeating: nil, count: count) }

    func set(_ index: Int, _ value: [UInt8]?) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> [UInt8]? { lock.withLock { values[index] } }
}
