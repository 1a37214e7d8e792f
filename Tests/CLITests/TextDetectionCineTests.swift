import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import PixelCodecs
import PixelData
import Testing
import TextDetection

/// `--detect-text` on cines (Scripts/make-ocr-corpus.py --cine): the static banner is blanked in every frame, a
/// line that appears in later frames only (inside the sector, where the first frame has none, over a moving
/// sector too) is found and blanked in those frames only, a banner that changes (a clock ticking every frame, an
/// accession number in the later frames only) is blanked as each frame shows it, and the cleaned cine restores
/// byte for byte, in each transfer syntax.
@Suite(.serialized)
struct TextDetectionCineTests {
    struct Truth: Decodable {
        struct Line: Decodable { var kind: String; var text: String; var box: [Int]; var frames: [Int] }
        var file: String
        var frames: Int
        var lines: [Line]
    }

    /// The generator's cines of 6 frames (the late line in frames 3 to 5), or nil (and a message) where python3,
    /// pydicom, Pillow, the fonts or Tesseract's English data are missing.
    static let cines: Result<[String: (bytes: Data, truth: Truth)], any Error>? = {
        generatedOCRCorpus(for: "TextDetectionCineTests", ["--cine", "6"]) { folder in
            var cines: [String: (bytes: Data, truth: Truth)] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") {
                let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
                cines[String(truth.file.dropLast(4))] = (try Data(contentsOf: folder.appendingPathComponent(truth.file)), truth)
            }
            return cines
        }
    }()

    /// Frame `index` of `file`, decoded (the generator and the cleaning write one fragment per frame).
    static func frame(_ index: Int, of file: Part10File) throws -> DecodedFrame {
        var description = try PixelDescription(file.dataSet, order: file.dataSetEncoding.byteOrder)
        let element = try #require(file.dataSet[Tag(0x7FE0, 0x0010)])
        switch element.value {
        case .bytes(let value):
            return try DecodedFrame(nativePixelData: value, frame: index, description: description)
        case .fragments(let fragments):
            try #require(fragments.items.count == description.numberOfFrames + 1, "one fragment per frame")
            description.numberOfFrames = 1
            let codec = try #require(PixelCodecs.registry.codec(for: file.transferSyntax.uid))
            return DecodedFrame(samples: try codec.decode(frame: Array(fragments.items[index + 1]), description: description),
                                description: description)
        case .sequence:
            throw TextDetectionError(.unreadableFrame, "Pixel Data is a sequence")
        }
    }

    /// Whether the samples of `box` are the same in both frames (row by row; interleaved samples).
    static func same(_ a: DecodedFrame, _ b: DecodedFrame, _ box: [Int]) -> Bool {
        let d = a.description
        let perPixel = a.samples.count / (d.rows * d.columns)
        return (box[1]..<(box[1] + box[3])).allSatisfy { y in
            let start = (y * d.columns + box[0]) * perPixel, end = start + box[2] * perPixel
            return a.samples[start..<end] == b.samples[start..<end]
        }
    }

    @Test(arguments: ["cine-us-still", "cine-us-moving", "cine-us-moving-rle", "cine-us-moving-jpeg", "cine-us-clock"])
    func eachFrameBlanksItsOwnTextAndTheCineRestoresExactly(name: String) throws {
        guard let cines = Self.cines else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("the OCR cines cannot be generated here") }
            return
        }
        let cine = try #require(try cines.get()[name])
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("in/\(name).dcm"), rules = sandbox.path("none.script")
        try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
        try cine.bytes.write(to: URL(fileURLWithPath: input))
        try Data().write(to: URL(fileURLWithPath: rules))
        let out = sandbox.path("out")
        try sandbox.deidentify([input], into: out, ["--clean-pixel-data", "--pixel-rules", rules, "--detect-text", "--keep-layout"])
        let original = try Part10Reader.read(bytes: Array(cine.bytes))
        let output = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: out))
        #expect(output.transferSyntax.uid == original.transferSyntax.uid)

        for index in 0..<cine.truth.frames {
            let before = try Self.frame(index, of: original), after = try Self.frame(index, of: output)
            for line in cine.truth.lines where line.kind == "identifying" {
                if (line.frames[0]...line.frames[1]).contains(index) {
                    #expect(TextDetectionCLITests.isBlank(after, line.box), "\(name) frame \(index + 1): '\(line.text)' is not blanked")
                } else {
                    // Not there in this frame: its place is left as it was (rectangles are per frame).
                    #expect(Self.same(before, after, line.box), "\(name) frame \(index + 1): blanked where '\(line.text)' is not")
                }
            }
        }

        let restored = sandbox.path("restored")
        let back = try sandbox.run(.reidentify, [out, "--output", restored, "--key", Sandbox.keyA, "--keep-layout"])
        #expect(back.status == 0, "\(back.stderrText)")
        try DataSets.expectEqual(try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: restored)), original, name)
    }

    @Test func framesLargerThanDetectionReadsAreRefusedBeforeDecoding() throws {
        if (try? TextDetector()) == nil {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("Tesseract's English data is missing") }
            return
        }
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var image = SyntheticImage()
        // 20000 x 20000 = 4 * 10^8 samples, above the 2^28 any frame is decoded to; the header lies (64 bytes).
        image.rows = 20000
        image.columns = 20000
        image.frames = 1
        image.pixelDataLength = 64
        try expectDetectTextRefuses(image, named: "huge.dcm", because: "larger than text detection reads", in: sandbox)
    }
}
