import DICOMCodec
import Foundation
import Glibc
import PixelData
import IdentifyingTerms
import Testing
@testable import TextDetection

/// What text detection achieves on the generated corpus, preparation by preparation. Not part of the ordinary
/// test run (it takes minutes): `Scripts/measure-text-detection.sh` runs it with OCR_MEASURE=<number of images>.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["OCR_MEASURE"] != nil))
struct TextDetectionMeasurement {
    /// One configuration measured.
    struct Row {
        var name: String
        var options: TextDetectionOptions
    }

    static var rows: [Row] {
        func make(_ name: String, _ change: (inout TextDetectionOptions) -> Void) -> Row {
            var options = TextDetectionOptions()
            options.scale = 1
            options.invertedPass = false
            options.colourPlanes = false
            options.chromaPlane = false
            options.thresholding = .otsu
            options.rereadsAfterBlanking = 0
            change(&options)
            return Row(name: name, options: options)
        }
        let selected = ProcessInfo.processInfo.environment["OCR_MEASURE_ROWS"]?.split(separator: ",").map(String.init)
        let all = [
            make("plain (scale 1, Otsu)") { _ in },
            make("+ Sauvola") { $0.thresholding = .sauvola },
            make("+ Sauvola, scale 2") { $0.thresholding = .sauvola; $0.scale = 2 },
            make("+ Sauvola, scale 3") { $0.thresholding = .sauvola; $0.scale = 3 },
            make("+ Sauvola, inverted pass") { $0.thresholding = .sauvola; $0.invertedPass = true },
            make("+ Sauvola, scale 2, inverted pass") { $0.thresholding = .sauvola; $0.scale = 2; $0.invertedPass = true },
            make("+ Sauvola, scale 2, inverted, colour planes") {
                $0.thresholding = .sauvola; $0.scale = 2; $0.invertedPass = true; $0.colourPlanes = true
            },
            make("+ Sauvola, scale 2, inverted, chroma plane") {
                $0.thresholding = .sauvola; $0.scale = 2; $0.invertedPass = true; $0.chromaPlane = true
            },
            make("+ Sauvola, scale 2, inverted, colour and chroma planes") {
                $0.thresholding = .sauvola; $0.scale = 2; $0.invertedPass = true; $0.colourPlanes = true; $0.chromaPlane = true
            },
            make("Otsu, scale 2, inverted pass") { $0.scale = 2; $0.invertedPass = true },
            make("Sauvola, scale 2, Tesseract inverts") { $0.thresholding = .sauvola; $0.scale = 2; $0.tesseractInverts = true },
            make("+ Sauvola, scale 2, inverted, chroma plane, read again after blanking (the default)") { $0 = TextDetectionOptions() },
        ]
        guard let selected else { return all }
        return selected.compactMap { Int($0) }.map { all[$0] }
    }

    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// A word as the cache stores it.
    struct CachedWord: Codable {
        var text: String, x: Int, y: Int, width: Int, height: Int, confidence: Double, textLike: Bool
    }

    /// The lines `detect` gives, or, with OCR_MEASURE_CACHE=<directory>, the lines a run before stored there for
    /// the same row and image (and, for a reading after blanking, the same rectangles blanked): classification and
    /// redaction changes are then measured in seconds, reading only frames blanked differently than before (the CPU
    /// columns mean nothing then; empty the directory when the corpus or the preparation changes).
    static func cached(row: String, image: String, blanked: [PixelRectangle] = [],
                       _ detect: () throws -> [DetectedLine]) throws -> [DetectedLine] {
        guard let directory = ProcessInfo.processInfo.environment["OCR_MEASURE_CACHE"] else { return try detect() }
        let seed = ProcessInfo.processInfo.environment["OCR_MEASURE_SEED"] ?? ""
        // FNV-1a of the rectangles blanked: a short, stable name.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in blanked.flatMap({ [$0.x, $0.y, $0.width, $0.height] }) { hash = (hash ^ UInt64(bitPattern: Int64(value))) &* 0x100_0000_01b3 }
        let suffix = blanked.isEmpty ? "" : " blanked " + String(hash, radix: 16)
        let key = (row + " " + seed + " " + image + suffix).map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let url = URL(fileURLWithPath: directory).appendingPathComponent(String(key) + ".json")
        if let data = try? Data(contentsOf: url) {
            // Grouped into lines again, so that a change of the grouping is measured from the cache too.
            return WordMerging.lines(try JSONDecoder().decode([[CachedWord]].self, from: data).flatMap { line in
                line.map {
                    DetectedWord(text: $0.text, box: PixelRectangle(x: $0.x, y: $0.y, width: $0.width, height: $0.height),
                                 confidence: $0.confidence, textLike: $0.textLike)
                }
            })
        }
        let lines = try detect()
        let stored = lines.map { line in
            line.words.map {
                CachedWord(text: $0.text, x: $0.box.x, y: $0.box.y, width: $0.box.width, height: $0.box.height,
                           confidence: $0.confidence, textLike: $0.textLike)
            }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(stored).write(to: url)
        return lines
    }

    @Test func measuresPreparationsOnTheCorpus() throws {
        let count = Int(ProcessInfo.processInfo.environment["OCR_MEASURE"] ?? "") ?? 16
        let corpus = try OCRCorpus.generate(count: count, seed: ProcessInfo.processInfo.environment["OCR_MEASURE_SEED"].flatMap { Int($0) })
        print("| preparation | identifying words detected | technical words detected | identifying words covered (identifying) | identifying words covered (all) | technical words kept | stray words (blanked by identifying) | CPU ms per 640x480 grey | CPU ms per 640x480 colour |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in Self.rows {
            let detector = try TextDetector(options: row.options)
            var idFound = 0, idTotal = 0, techFound = 0, techTotal = 0, covered = 0, coveredAll = 0, kept = 0, stray = 0
            var strayBlanked = 0
            var cpu = 0.0, pixels = 0, colourCPU = 0.0, colourPixels = 0
            for image in corpus.images {
                let start = Self.cpuSeconds()
                let lines = try Self.cached(row: row.name, image: image.name) { try detector.detect(in: image.frame) }
                let spent = Self.cpuSeconds() - start
                let area = image.frame.description.rows * image.frame.description.columns
                if image.frame.description.samplesPerPixel == 3 {
                    colourCPU += spent
                    colourPixels += area
                } else {
                    cpu += spent
                    pixels += area
                }
                let values = IdentifierCollector.terms(in: image.file.dataSet).compactMap { term in
                    IdentifyingValue.Kind(rawValue: term.kind.rawValue).map { IdentifyingValue(kind: $0, text: term.text) }
                }
                let classifier = TextLineClassifier(values: values)
                // As de-identification blanks: read, blank, read again (TextDetectionOptions.rereadsAfterBlanking);
                // every reading is cached, each after blanking under the rectangles blanked.
                var blanked = TextRedaction.identifying.rectangles(for: lines, classifier: classifier)
                var blankedAll = TextRedaction.all.rectangles(for: lines, classifier: classifier)
                if row.options.rereadsAfterBlanking > 0 {
                    // OCR_MEASURE_NO_RUN=1: identifying lines not stretched over their text-like run (what TextRun gives).
                    let run = ProcessInfo.processInfo.environment["OCR_MEASURE_NO_RUN"] != nil
                        ? nil : TextRun(images: try FramePlanes(image.frame).textImages)
                    func reread(_ redaction: TextRedaction) throws -> [PixelRectangle] {
                        try TextDetector.rectangles(redaction: redaction, classifier: classifier, run: run,
                                                    rereads: row.options.rereadsAfterBlanking) {
                            (rectangles: [PixelRectangle]) throws -> [DetectedLine] in
                            rectangles.isEmpty ? lines : try Self.cached(row: row.name, image: image.name, blanked: rectangles) {
                                try detector.detect(in: image.frame, blanking: rectangles)
                            }
                        }.rectangles
                    }
                    blanked = try reread(.identifying)
                    blankedAll = try reread(.all)
                }
                for line in image.truth.lines {
                    for word in line.words {
                        let hit = found(word, in: lines)
                        if line.kind == "identifying" {
                            idTotal += 1
                            if hit { idFound += 1 }
                            if covers(blankedAll, word.box) {
                                coveredAll += 1
                            } else if ProcessInfo.processInfo.environment["OCR_MEASURE_VERBOSE"] != nil {
                                print("| missed (all) | \(image.name) | \(word.text) | \(word.box) |")
                            }
                            if covers(blanked, word.box) {
                                covered += 1
                            } else if ProcessInfo.processInfo.environment["OCR_MEASURE_VERBOSE"] != nil {
                                let near = lines.filter { found(word, in: [$0]) }
                                print("| missed | \(image.name) | \(word.text) | \(word.box) | \(near.map { "\($0.text) \($0.box) \(classifier.classify($0))" }) |")
                            }
                        } else {
                            techTotal += 1
                            if hit { techFound += 1 }
                            if !covers(blanked, word.box, fraction: 0.01) { kept += 1 }
                        }
                    }
                }
                let planted = image.truth.lines.map { PixelRectangle(x: $0.box[0] - 4, y: $0.box[1] - 4, width: $0.box[2] + 8, height: $0.box[3] + 8) }
                let strays = lines.flatMap(\.words).filter { !covers(planted, [$0.box.x, $0.box.y, $0.box.width, $0.box.height], fraction: 0.5) }
                stray += strays.count
                strayBlanked += strays.filter { covers(blanked, [$0.box.x, $0.box.y, $0.box.width, $0.box.height], fraction: 0.5) }.count
            }
            func percent(_ a: Int, _ b: Int) -> String { String(format: "%.1f%% (%d/%d)", 100 * Double(a) / Double(max(1, b)), a, b) }
            let perFrame = cpu * 1000 * 640 * 480 / Double(max(1, pixels))
            let perColourFrame = colourCPU * 1000 * 640 * 480 / Double(max(1, colourPixels))
            print("| \(row.name) | \(percent(idFound, idTotal)) | \(percent(techFound, techTotal)) | \(percent(covered, idTotal)) | \(percent(coveredAll, idTotal)) | \(percent(kept, techTotal)) | \(stray) (\(strayBlanked)) | \(String(format: "%.0f", perFrame)) | \(String(format: "%.0f", perColourFrame)) |")
            #expect(idTotal > 0 && techTotal > 0)
        }
    }
}
