import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import PixelCodecs
import PixelData
import Testing
import TextDetection

/// The labelled corpus of Scripts/make-ocr-corpus.py, generated into a temporary directory once per test run.
struct OCRCorpus {
    /// One image and its ground truth.
    struct Image {
        var name: String
        var path: String
        var truth: Truth
        var frame: DecodedFrame
        var file: Part10File
    }

    /// The JSON the generator writes beside each image.
    struct Truth: Decodable {
        struct Word: Decodable { var text: String; var box: [Int] }
        struct Line: Decodable { var kind: String; var text: String; var box: [Int]; var words: [Word] }
        var file: String
        var kind: String
        var photometric: String
        var lines: [Line]
    }

    var images: [Image]

    /// Why the corpus cannot be made here (python3, pydicom, Pillow or the fonts missing), or nil.
    static func unavailable() -> String? {
        guard let python = ExternalTool.find("python3") else { return "python3 is not installed" }
        let probe = "import pydicom, PIL, numpy, os, sys; sys.exit(0 if os.path.exists('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf') else 3)"
        guard let outcome = try? python.run(["-c", probe]), outcome.status == 0 else {
            return "pydicom, Pillow, numpy or fonts-dejavu is missing (Scripts/setup.sh installs them)"
        }
        return nil
    }

    /// Generates `count` images (the generator's default seed unless `seed` is given) and reads them.
    static func generate(count: Int, seed: Int? = nil) throws -> OCRCorpus {
        let directory = try TemporaryDirectory(prefix: "ocr-corpus")
        defer { directory.remove() }
        let script = RepositoryPaths.root.appendingPathComponent("Scripts/make-ocr-corpus.py").path
        let python = try #require(ExternalTool.find("python3"))
        let outcome = try python.run([script, directory.url.path, "--count", String(count)] + (seed.map { ["--seed", String($0)] } ?? []))
        try #require(outcome.status == 0, "make-ocr-corpus.py: \(outcome.stderrText)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasSuffix(".json") }.sorted()
        var images: [Image] = []
        for name in names {
            let jsonPath = directory.url.appendingPathComponent(name)
            let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: jsonPath))
            let path = directory.url.appendingPathComponent(truth.file).path
            let file = try Part10Reader.read(contentsOf: path)
            images.append(Image(name: truth.file, path: path, truth: truth, frame: try Self.frame(of: file), file: file))
        }
        return OCRCorpus(images: images)
    }

    /// The first frame of `file`: native, or decoded by the codec of its transfer syntax (RLE, JPEG Baseline,
    /// JPEG-LS, JPEG 2000).
    static func frame(of file: Part10File) throws -> DecodedFrame {
        // One frame (a cine's first): its description says one frame.
        var description = try PixelDescription(file.dataSet, order: file.dataSetEncoding.byteOrder)
        let frames = description.numberOfFrames
        description.numberOfFrames = 1
        let element = try #require(file.dataSet[Tag(0x7FE0, 0x0010)])
        switch element.value {
        case .bytes(let value):
            return try DecodedFrame(nativePixelData: value, frame: 0, description: description,
                                    littleEndian: file.dataSetEncoding.byteOrder == .littleEndian)
        case .fragments(let fragments):
            let codec = try #require(PixelCodecs.registry.codec(for: file.transferSyntax.uid))
            // One fragment per frame in a multi-frame file (as pydicom's encapsulate writes them), all of them for one frame.
            let encoded = frames > 1 ? Array(try #require(fragments.items.dropFirst().first)) : fragments.items.dropFirst().flatMap { Array($0) }
            return DecodedFrame(samples: try codec.decode(frame: encoded, description: description), description: description)
        case .sequence:
            throw TextDetectionError(.unreadableFrame, "Pixel Data is a sequence")
        }
    }
}

/// Whether `covered` holds at least `fraction` of `box`'s area (`box`: x, y, width, height).
func covers(_ rectangles: [PixelRectangle], _ box: [Int], fraction: Double = 0.8) -> Bool {
    var covered = 0
    for y in box[1]..<box[1] + box[3] {
        for x in box[0]..<box[0] + box[2]
        where rectangles.contains(where: { x >= $0.x && x < $0.x + $0.width && y >= $0.y && y < $0.y + $0.height }) {
            covered += 1
        }
    }
    return Double(covered) >= fraction * Double(box[2] * box[3])
}

/// A word read matches a planted word when their boxes overlap and the texts agree loosely (OCR errors allowed).
func found(_ planted: OCRCorpus.Truth.Word, in lines: [DetectedLine]) -> Bool {
    let box = PixelRectangle(x: planted.box[0], y: planted.box[1], width: planted.box[2], height: planted.box[3])
    return lines.flatMap(\.words).contains { word in
        let w = min(word.box.x + word.box.width, box.x + box.width) - max(word.box.x, box.x)
        let h = min(word.box.y + word.box.height, box.y + box.height) - max(word.box.y, box.y)
        return w > 0 && h > 0
    }
}
