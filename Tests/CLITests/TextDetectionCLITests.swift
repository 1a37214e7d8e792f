import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import PixelCodecs
import PixelData
import Testing
import TextDetection

/// `dicom-deidentify --clean-pixel-data --detect-text` on images of Scripts/make-ocr-corpus.py with planted name
/// banners: what is blanked, what stays readable, 113101, and the byte-for-byte restoration.
@Suite(.serialized)
struct TextDetectionCLITests {
    /// The ground truth the generator writes beside each image.
    struct Truth: Decodable {
        struct Word: Decodable { var text: String; var box: [Int] }
        struct Line: Decodable { var kind: String; var text: String; var words: [Word] }
        var file: String
        var kind: String
        var lines: [Line]
    }

    struct Planted {
        var bytes: Data
        var truth: Truth
        var file: Part10File
    }

    /// 16 images of the generator's default seed (a US, an RLE XA and a JPEG Baseline SC with the patient's name
    /// among them), or nil (and a message) where python3, pydicom, Pillow, the fonts or Tesseract's English data
    /// are missing.
    static let corpus: Result<[Planted], any Error>? = {
        generatedOCRCorpus(for: "TextDetectionCLITests", ["--count", "16"]) { folder in
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
                let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
                let bytes = try Data(contentsOf: folder.appendingPathComponent(truth.file))
                return Planted(bytes: bytes, truth: truth, file: try Part10Reader.read(bytes: Array(bytes)))
            }
        }
    }()

    /// The first image of `kind` (its file name's ending: `us`, `xa-rle`, `sc-jpeg`) whose burned-in identifying text holds a component of its Patient's Name.
    static func image(_ kind: String) throws -> Planted? {
        guard let corpus else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("the OCR corpus cannot be generated here") }
            return nil
        }
        let found = try corpus.get().first { planted in
            planted.truth.file.hasSuffix("-\(kind).dcm") && planted.truth.lines.contains { line in
                line.kind == "identifying" && nameWords(planted.file).contains { words(line.text).contains($0) }
            }
        }
        if found == nil { Issue.record("no \(kind) image with the patient's name in the corpus") }
        return found
    }

    static func nameWords(_ file: Part10File) -> Set<String> {
        Set(words(file.dataSet[Tag(0x0010, 0x0010)]?.string() ?? "").filter { $0.count >= 3 })
    }

    static func words(_ text: String) -> [String] {
        text.uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// The first frame of `file`, decoded.
    static func frame(of file: Part10File) throws -> DecodedFrame {
        let description = try PixelDescription(file.dataSet, order: file.dataSetEncoding.byteOrder)
        let element = try #require(file.dataSet[Tag(0x7FE0, 0x0010)])
        switch element.value {
        case .bytes(let value):
            return try DecodedFrame(nativePixelData: value, frame: 0, description: description)
        case .fragments(let fragments):
            let codec = try #require(PixelCodecs.registry.codec(for: file.transferSyntax.uid))
            return DecodedFrame(samples: try codec.decode(frame: fragments.items.dropFirst().flatMap { Array($0) }, description: description),
                                description: description)
        case .sequence:
            throw TextDetectionError(.unreadableFrame, "Pixel Data is a sequence")
        }
    }

    /// Whether every sample of `box` (x, y, width, height) has one value per channel (a JPEG block may round by 2).
    static func isBlank(_ frame: DecodedFrame, _ box: [Int]) -> Bool {
        let d = frame.description
        let channels = frame.samples.count >= d.rows * d.columns * 3 * (d.bitsAllocated / 8) ? d.samplesPerPixel : 1
        let width = d.bitsAllocated / 8
        for channel in 0..<channels {
            var low = Int.max, high = Int.min
            for y in box[1]..<min(d.rows, box[1] + box[3]) {
                for x in box[0]..<min(d.columns, box[0] + box[2]) {
                    let at = ((y * d.columns + x) * channels + channel) * width
                    let value = width == 2 ? Int(frame.samples[at]) | Int(frame.samples[at + 1]) << 8 : Int(frame.samples[at])
                    low = min(low, value)
                    high = max(high, value)
                }
            }
            if high - low > 2 { return false }
        }
        return true
    }

    /// Writes `image` and an empty pixel rules file into the sandbox; the rules leave detection alone to blank.
    static func inputs(_ sandbox: Sandbox, _ image: Planted) throws -> (input: String, rules: String) {
        let input = sandbox.path("in/" + image.truth.file), rules = sandbox.path("none.script")
        try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
        try image.bytes.write(to: URL(fileURLWithPath: input))
        try Data().write(to: URL(fileURLWithPath: rules))
        return (input, rules)
    }

    @Test(arguments: ["us", "xa-rle", "sc-jpeg"])
    func blanksTheNameBannerKeepsTechnicalTextAndRestoresExactly(kind: String) throws {
        guard let image = try Self.image(kind) else { return }
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (input, rules) = try Self.inputs(sandbox, image)
        // Without detection the fail safe refuses it: nothing but detection covers it.
        let refused = try sandbox.run(.deidentify, [input, "--output", sandbox.path("refused"), "--recipient", Sandbox.recipientA,
                                                    "--clean-pixel-data", "--pixel-rules", rules])
        #expect(refused.status == 1, "\(refused.stderrText)")

        let out = sandbox.path("out")
        try sandbox.deidentify([input], into: out, ["--clean-pixel-data", "--pixel-rules", rules, "--detect-text", "--keep-layout"])
        let output = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: out))
        #expect(output.transferSyntax.uid == image.file.transferSyntax.uid)
        #expect(output.dataSet[Tag(0x0012, 0x0062)]?.string() == "YES")
        let codes = output.dataSet[Tag(0x0012, 0x0064)]?.sequence?.items.compactMap { $0.dataSet[Tag(0x0008, 0x0100)]?.string() } ?? []
        #expect(codes.contains("113101"), "\(codes)")

        let cleaned = try Self.frame(of: output), original = try Self.frame(of: image.file)
        let names = Self.nameWords(image.file)
        let identifying = image.truth.lines.filter { $0.kind == "identifying" }.flatMap(\.words)
        for word in identifying where names.contains(where: { Self.words(word.text).contains($0) }) {
            #expect(!Self.isBlank(original, word.box) && Self.isBlank(cleaned, word.box), "\(kind): a name word of the banner is not blanked")
        }
        let blanked = identifying.filter { Self.isBlank(cleaned, $0.box) }.count
        // Detection misses some text (docs/text-detection.md: about 96% of identifying words covered on the corpus;
        // on the JPEG screen of this seed 7 of 11, an 18 px line among them): the name is required above, half here.
        #expect(blanked * 2 >= identifying.count, "\(kind): \(blanked) of \(identifying.count) identifying words blanked")

        // Technical text stays readable: OCR over the output reads a planted technical word.
        let read = Set(try TextDetector().detect(in: cleaned).flatMap(\.words).map { $0.text.uppercased() })
        // Words of 2 characters or more (`DR`, `60`): the JPEG screen's output reads those, and of its longer ones
        // only `200`, which is not read when other areas are blanked (Tesseract's layout changes; its pixels do not).
        let technical = image.truth.lines.filter { $0.kind == "technical" }.flatMap(\.words).map { $0.text.uppercased() }.filter { $0.count >= 2 }
        #expect(technical.contains { read.contains($0) }, "\(kind): no technical word read in the output")

        let restored = sandbox.path("restored")
        let back = try sandbox.run(.reidentify, [out, "--output", restored, "--key", Sandbox.keyA, "--keep-layout"])
        #expect(back.status == 0, "\(back.stderrText)")
        try DataSets.expectEqual(try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: restored)), image.file, image.truth.file)
    }

    @Test func textRedactionAllBlanksEveryLineDetected() throws {
        guard let image = try Self.image("us") else { return }
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (input, rules) = try Self.inputs(sandbox, image)
        let out = sandbox.path("out")
        try sandbox.deidentify([input], into: out, ["--clean-pixel-data", "--pixel-rules", rules, "--detect-text",
                                                    "--text-redaction", "all", "--keep-layout"])
        let cleaned = try Self.frame(of: try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: out)))
        let lines = try TextDetector().detect(in: try Self.frame(of: image.file))
        #expect(lines.contains { TextLineClassifier(values: []).classify($0) == .technical }, "technical lines detected too")
        for line in lines {
            let box = line.box
            #expect(Self.isBlank(cleaned, [box.x, box.y, box.width, box.height]), "a detected line is not blanked")
        }
        let restored = sandbox.path("restored")
        let back = try sandbox.run(.reidentify, [out, "--output", restored, "--key", Sandbox.keyA, "--keep-layout"])
        #expect(back.status == 0, "\(back.stderrText)")
        try DataSets.expectEqual(try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: restored)), image.file, image.truth.file)
    }

    @Test func optionMistakesAndMissingLanguageDataStopAtStart() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("us.dcm")
        try Data(SyntheticImage().bytes).write(to: URL(fileURLWithPath: input))
        let base = [input, "--output", sandbox.path("out"), "--recipient", Sandbox.recipientA]
        let alone = try sandbox.run(.deidentify, base + ["--detect-text"])
        #expect(alone.status == 2)
        #expect(alone.stderrText.contains("--detect-text goes with --clean-pixel-data"), "\(alone.stderrText)")
        let redaction = try sandbox.run(.deidentify, base + ["--clean-pixel-data", "--text-redaction", "all"])
        #expect(redaction.status == 2)
        #expect(redaction.stderrText.contains("--text-redaction goes with --detect-text"), "\(redaction.stderrText)")
        try FileManager.default.createDirectory(atPath: sandbox.path("no-tessdata"), withIntermediateDirectories: true)
        let missing = try sandbox.run(.deidentify, base + ["--clean-pixel-data", "--detect-text"],
                                      environment: ["TESSDATA_PREFIX": sandbox.path("no-tessdata")])
        #expect(missing.status == 2)
        let errors = missing.stderrLines.filter { !$0.hasPrefix("note:") }
        #expect(errors.count == 1 && errors[0].contains("cannot load language 'eng'"), "\(missing.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("out")).isEmpty)
    }

    @Test func aFrameThatCannotBeReadRefusesAndQuarantinesTheFile() throws {
        if (try? TextDetector()) == nil {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("Tesseract's English data is missing") }
            return
        }
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var image = SyntheticImage()
        image.regions = [(2, 3, 17, 12)]
        image.pixelDataLength = 100  // two frames of 20 x 16 need 640 bytes
        try expectDetectTextRefuses(image, named: "short.dcm", because: "could not be read for burned-in text", in: sandbox)
    }

    @Test func everyFrameOfAMultiFrameFileIsReadAndRestoredExactly() throws {
        if (try? TextDetector()) == nil {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("Tesseract's English data is missing") }
            return
        }
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var image = SyntheticImage()
        image.frames = 4
        image.regions = [(2, 3, 17, 12)]
        let input = sandbox.path("cine.dcm")
        try Data(image.bytes).write(to: URL(fileURLWithPath: input))
        let dry = try sandbox.run(.deidentify, [input, "--dry-run", "--clean-pixel-data", "--detect-text"])
        #expect(dry.status == 0, "\(dry.stderrText)")
        let frames = dry.stdoutLines.filter { $0.hasPrefix("pixels frame") }
        #expect(frames.count == 4 && frames.allSatisfy { $0.contains("outside the ultrasound regions + text detected") }, "\(frames)")
        let out = sandbox.path("out"), restored = sandbox.path("restored")
        try sandbox.deidentify([input], into: out, ["--clean-pixel-data", "--detect-text", "--keep-layout"])
        let back = try sandbox.run(.reidentify, [out, "--output", restored, "--key", Sandbox.keyA, "--keep-layout"])
        #expect(back.status == 0, "\(back.stderrText)")
        try DataSets.expectEqual(try Part10Reader.read(contentsOf: restored + "/cine.dcm"), try Part10Reader.read(bytes: image.bytes), "cine.dcm")
    }
}
