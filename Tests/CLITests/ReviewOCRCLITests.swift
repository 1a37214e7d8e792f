import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import PixelData
import Testing
import TextDetection

/// `dicom-review check --ocr` and `inventory --ocr`, run for real: identifiers burned into the pixels are found in
/// outputs written without pixel cleaning, gone after `--detect-text` cleaning, and never invented on the pixel
/// fixtures' cleaned outputs.
@Suite(.serialized)
struct ReviewOCRCLITests {
    /// A finding of `check --ocr`: the output file's name, the frame (from 1) and the box.
    struct PixelFinding: Hashable {
        var file: String
        var frame: Int
        var box: [Int]
    }

    /// The pixel findings of `check` output lines (`FILE: (7FE0,0010) PixelData frame N at (X,Y) WxH: ...`).
    static func pixelFindings(_ outcome: ExternalTool.Outcome) -> [PixelFinding] {
        outcome.stdoutLines.compactMap { line -> PixelFinding? in
            guard let at = line.range(of: ": (7FE0,0010) PixelData frame ") else { return nil }
            let file = (String(line[..<at.lowerBound]) as NSString).lastPathComponent
            let numbers = line[at.upperBound...].prefix { $0 != ":" }
                .split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count == 5 else { return nil }
            return PixelFinding(file: file, frame: numbers[0], box: Array(numbers[1...]))
        }
    }

    static func overlaps(_ a: [Int], _ b: [Int]) -> Bool {
        min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) && min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1])
    }

    /// A planted word without its label punctuation, upper-cased.
    static func bare(_ text: String) -> String {
        text.uppercased().trimmingCharacters(in: CharacterSet(charactersIn: ",.:;#^"))
    }

    /// The labels the generator writes before identifying values; they are not header values.
    static let labels: Set<String> = ["REF", "DR", "ID", "MRN", "DOB", "ACC", "NAME"]

    /// The planted words that are values of the image's header: name parts, IDs, dates, institution words.
    static func headerWords(_ image: TextDetectionCLITests.Planted) -> [TextDetectionCLITests.Truth.Word] {
        image.truth.lines.filter { $0.kind == "identifying" }.flatMap(\.words).filter { word in
            let text = bare(word.text)
            return text.count >= 3 && !labels.contains(text)
        }
    }

    /// The first 4 images of the corpus the text detection tests generate (a colour ultrasound, a 16-bit CT, a
    /// screen capture, an RLE XA), written into `sandbox/in`; nil (and an
    /// issue under CI=true) when the corpus cannot be made here.
    static func corpus(in sandbox: Sandbox) throws -> [TextDetectionCLITests.Planted]? {
        guard let corpus = TextDetectionCLITests.corpus else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("the OCR corpus cannot be generated here") }
            return nil
        }
        let images = Array(try corpus.get().prefix(4))
        try FileManager.default.createDirectory(atPath: sandbox.path("in"), withIntermediateDirectories: true)
        for image in images { try image.bytes.write(to: URL(fileURLWithPath: sandbox.path("in/" + image.truth.file))) }
        return images
    }

    @Test func findsTheBurnedInIdentifiersOCRReadsAndNoneOfThemAfterDetectTextCleaning() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        guard let images = try Self.corpus(in: sandbox) else { return }
        // Written without pixel cleaning: the banners are still there.
        try sandbox.deidentify(["in"], into: "raw", ["--keep-layout"])
        let raw = try sandbox.run(.review, ["check", "raw", "--ocr", "--key", Sandbox.keyA])
        #expect(raw.status == 1, "\(raw.stderrText)")
        let found = Self.pixelFindings(raw)
        var planted = 0, readExactly = 0, reported = 0
        var reportedWords: [(file: String, box: [Int])] = []
        for image in images {
            let read = try TextDetector().detect(in: try TextDetectionCLITests.frame(of: image.file)).flatMap(\.words)
            for word in Self.headerWords(image) {
                planted += 1
                let hits = found.filter { $0.file == image.truth.file && Self.overlaps($0.box, word.box) }
                if !hits.isEmpty {
                    reported += 1
                    reportedWords.append((image.truth.file, word.box))
                }
                // Every planted identifier OCR reads exactly in the original is reported, at its place.
                let box = word.box
                if read.contains(where: { Self.bare($0.text) == Self.bare(word.text)
                                          && Self.overlaps([$0.box.x, $0.box.y, $0.box.width, $0.box.height], box) }) {
                    readExactly += 1
                    #expect(!hits.isEmpty, "\(image.truth.file): a planted identifier OCR reads at \(box) is not reported")
                }
            }
        }
        #expect(readExactly > 0 && reported * 2 >= planted, "\(reported) of \(planted) planted identifiers reported (\(readExactly) read exactly)")
        // Masked: no planted identifier is printed without --show-values.
        for image in images {
            for word in Self.headerWords(image) where Self.bare(word.text).count >= 4 {
                #expect(!raw.stdoutText.uppercased().contains(Self.bare(word.text)), "a planted identifier is printed unmasked")
            }
        }

        // Cleaned with --detect-text: what check --ocr read before is gone.
        try Data().write(to: URL(fileURLWithPath: sandbox.path("none.script")))
        try sandbox.deidentify(["in"], into: "clean", ["--keep-layout", "--clean-pixel-data", "--pixel-rules", sandbox.path("none.script"),
                                                      "--detect-text"])
        let clean = try sandbox.run(.review, ["check", "clean", "--ocr", "--key", Sandbox.keyA])
        let left = Self.pixelFindings(clean)
        for (file, box) in reportedWords {
            #expect(!left.contains { $0.file == file && Self.overlaps($0.box, box) }, "\(file): the identifier at \(box) is still read after cleaning")
        }
        #expect(left.count * 4 < found.count, "\(left.count) findings after cleaning, \(found.count) before")
        #expect(clean.status == (left.isEmpty ? 0 : 1), "\(clean.stderrText)")
    }

    @Test func pixelFixturesCleanedByTheirRulesHaveNoFindingAndEveryOneIsRead() throws {
        if (try? TextDetector()) == nil {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("Tesseract's English data is missing") }
            return
        }
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let pixels = Sandbox.fixture("pixels")
        try sandbox.deidentify([pixels], into: "clean", ["--keep-layout", "--clean-pixel-data", "--pixel-rules", pixels + "/rules.script"])
        let clean = try sandbox.run(.review, ["check", "clean", "--ocr", "--key", Sandbox.keyA])
        #expect(clean.stdoutText.isEmpty, "\(clean.stdoutText)")
        // Every file is read, PALETTE COLOR through its palette.
        #expect(clean.status == 0, "\(clean.stderrText)")
        #expect(clean.stderrText.contains("0 with findings (0 in all), 0 could not be checked"), "\(clean.stderrText)")

        // The same files written without pixel cleaning: their canary banners are found (the check can fail).
        try sandbox.deidentify([pixels], into: "raw", ["--keep-layout"])
        let raw = try sandbox.run(.review, ["check", "raw", "--ocr", "--key", Sandbox.keyA])
        let files = Set(Self.pixelFindings(raw).map(\.file))
        let expected = Set(Sandbox.files(under: pixels).filter { $0.hasSuffix(".dcm") })
        #expect(files == expected, "files with findings: \(files.sorted())")
        // Every frame of the cine is read.
        #expect(Set(Self.pixelFindings(raw).filter { $0.file == "us-cine-explicit-le.dcm" }.map(\.frame)) == Set(1...12))
    }

    @Test func inventoryCountsTextAndFlagsIdentifyingPixelsWithoutPuttingTheWordsInTheReport() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        guard let images = try Self.corpus(in: sandbox) else { return }
        let outcome = try sandbox.run(.review, ["inventory", "in", "--ocr", "--report", "report"])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sandbox.path("report/inventory.json")))) as? [String: Any])
        let flagged = try #require(json["fileFlags"] as? [[String: Any]])
        for image in images {
            let entry = try #require(flagged.first { ($0["file"] as? String)?.hasSuffix(image.truth.file) == true }, "\(image.truth.file) not flagged")
            let flags = entry["flags"] as? [String] ?? []
            #expect(flags.contains("textInPixels") && flags.contains("identifyingTextInPixels"), "\(image.truth.file): \(flags)")
            #expect((entry["textBoxes"] as? Int ?? 0) > 0 && (entry["matchedTerms"] as? Int ?? 0) > 0, "\(entry)")
        }
        let html = try String(contentsOfFile: sandbox.path("report/inventory.html"), encoding: .utf8)
        #expect(html.contains("identifyingTextInPixels") && html.contains("Text boxes"))
        // Without --ocr nothing of it is there.
        let plain = try sandbox.run(.review, ["inventory", "in", "--report", "plain"])
        #expect(plain.status == 0)
        let plainJSON = try String(contentsOfFile: sandbox.path("plain/inventory.json"), encoding: .utf8)
        #expect(!plainJSON.contains("textBoxes") && !plainJSON.contains("InPixels"))
        // Counts only: no planted identifier in any report (words the page has anyway, `CENTER` of its stylesheet,
        // aside), no image.
        for name in ["inventory.json", "inventory.csv", "inventory.html"] {
            let text = try String(contentsOfFile: sandbox.path("report/" + name), encoding: .utf8).uppercased()
            let without = try String(contentsOfFile: sandbox.path("plain/" + name), encoding: .utf8).uppercased()
            for image in images {
                for word in Self.headerWords(image) where Self.bare(word.text).count >= 5 && !without.contains(Self.bare(word.text)) {
                    #expect(!text.contains(Self.bare(word.text)), "\(name) holds a planted identifier")
                }
            }
            #expect(!text.contains("<IMG") && !text.contains("DATA:IMAGE"))
        }
    }

    @Test func missingLanguageDataStopsCheckAndInventoryAtStart() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("pixels/ct-dose-screen-explicit-le.dcm")], into: "out")
        try FileManager.default.createDirectory(atPath: sandbox.path("no-tessdata"), withIntermediateDirectories: true)
        let environment = ["TESSDATA_PREFIX": sandbox.path("no-tessdata")]
        let check = try sandbox.run(.review, ["check", "out", "--ocr", "--key", Sandbox.keyA], environment: environment)
        #expect(check.status == 2)
        #expect(check.stderrLines.count == 1 && check.stderrText.contains("--ocr: Tesseract cannot load language 'eng'"), "\(check.stderrText)")
        let inventory = try sandbox.run(.review, ["inventory", "out", "--ocr", "--report", "report"], environment: environment)
        #expect(inventory.status == 2)
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("report")))
    }
}
