import IdentifyingTerms
import PixelData
import Testing
@testable import TextDetection

/// What `identifying` and `all` blank: identifying lines, unreadable text (recall before precision), garbled lines
/// beside identifying ones; and what stays: technical text read with confidence, speckle that is not text-like.
struct TextRedactionTests {
    static let classifier = TextLineClassifier(values: [IdentifyingValue(kind: .name, text: "CLEVELAND")])

    static func word(_ text: String, x: Int, y: Int = 100, width: Int = 40, height: Int = 14, confidence: Double = 92,
                     textLike: Bool = true) -> DetectedWord {
        DetectedWord(text: text, box: PixelRectangle(x: x, y: y, width: width, height: height), confidence: confidence, textLike: textLike)
    }

    static func blanks(_ rectangles: [PixelRectangle], _ box: PixelRectangle) -> Bool {
        rectangles.contains { $0.x <= box.x && $0.y <= box.y && $0.x + $0.width >= box.x + box.width && $0.y + $0.height >= box.y + box.height }
    }

    @Test func textLikeWordsReadBelowTheFloorAreBlanked() {
        let unreadable = Self.word("Bwitdq", x: 10, confidence: 12)
        let line = DetectedLine(words: [Self.word("MI", x: 200), Self.word("0.6", x: 250), unreadable])
        let rectangles = TextRedaction.identifying.rectangles(for: [line], classifier: Self.classifier)
        #expect(Self.blanks(rectangles, unreadable.box))
        // Only the unreadable word: the technical text read with confidence on its line stays.
        #expect(!rectangles.contains { $0.x + $0.width > 200 })
    }

    @Test func speckleReadBelowTheFloorIsKept() {
        let speckle = DetectedLine(words: [Self.word("Bwitdq", x: 10, confidence: 12, textLike: false)])
        #expect(TextRedaction.identifying.rectangles(for: [speckle], classifier: Self.classifier).isEmpty)
    }

    @Test(arguments: ["MI", "0.6", "18Hz", "C5-1", "cm", "4.21"])
    func plausibleTechnicalReadingsBelowTheFloorAreKept(text: String) {
        let line = DetectedLine(words: [Self.word(text, x: 10, confidence: 30)])
        #expect(TextRedaction.identifying.rectangles(for: [line], classifier: Self.classifier).isEmpty, "\(text)")
        #expect(!TextRedaction.isUnreadableText(line.words[0]))
    }

    @Test func confidentTechnicalTextIsKept() {
        let line = DetectedLine(words: [Self.word("Depth", x: 10, confidence: 95), Self.word("16", x: 60, confidence: 95)])
        #expect(TextRedaction.identifying.rectangles(for: [line], classifier: Self.classifier).isEmpty)
    }

    /// `ID: 99110` then the rest of the number read over speckle as a separate, garbled line.
    @Test func garbledLineBesideAnIdentifyingLineIsBlanked() {
        let label = DetectedLine(words: [Self.word("ID:", x: 10, width: 30), Self.word("99110", x: 48, width: 60)])
        let garbled = DetectedLine(words: [Self.word("Bs.", x: 130, confidence: 25, textLike: false), Self.word("ee", x: 175, confidence: 30, textLike: false)])
        let rectangles = TextRedaction.identifying.rectangles(for: [label, garbled], classifier: Self.classifier)
        #expect(Self.blanks(rectangles, garbled.box))
        // Read with confidence beyond the label's value area (six heights), a line on the row is technical text and
        // stays (within it, it is taken for the value: theValueAfterALabelIsBlanked).
        let technical = DetectedLine(words: [Self.word("FR", x: 215, confidence: 95), Self.word("25", x: 260, confidence: 95)])
        let kept = TextRedaction.identifying.rectangles(for: [label, technical], classifier: Self.classifier)
        #expect(!kept.contains { $0.x + $0.width > 215 })
        // Far away on the row (more than two text heights), a garbled line is not the label's value.
        let far = DetectedLine(words: [Self.word("Bs.", x: 300, confidence: 25, textLike: false)])
        #expect(!Self.blanks(TextRedaction.identifying.rectangles(for: [label, far], classifier: Self.classifier), far.box))
    }

    /// `WALSKI` read for `KOWALSKI`: the unread start of a name lies within a text height of what was read.
    @Test func identifyingLinesAreGrownByTheirHeightAcross() {
        let classifier = TextLineClassifier(values: [IdentifyingValue(kind: .name, text: "KOWALSKI")])
        let cut = Self.word("WALSKI", x: 94, y: 92, width: 48, height: 9)
        let rectangles = TextRedaction.identifying.rectangles(for: [DetectedLine(words: [cut])], classifier: classifier)
        #expect(rectangles == [PixelRectangle(x: 94 - 9, y: 92 - 2, width: 48 + 18, height: 9 + 4)])
    }

    /// `DOB 29` read of `DOB 29.02.1984`, the rest read as `198 ay,` after a wide gap (019-sc of the corpus, seed
    /// 19), or not at all: the value area after a label is blanked, and a line starting in it, however confident.
    @Test func theValueAfterALabelIsBlanked() {
        let label = DetectedLine(words: [Self.word("DOB", x: 28, y: 427, width: 50, height: 18), Self.word("29", x: 86, y: 427, width: 48, height: 18)])
        #expect(Self.classifier.classify(label) == .labelled)
        let alone = TextRedaction.identifying.rectangles(for: [label], classifier: Self.classifier)
        // Six heights beyond the label's line (and one more of padding).
        #expect(Self.blanks(alone, PixelRectangle(x: 28, y: 427, width: 106 + 6 * 18, height: 18)))
        let rest = DetectedLine(words: [Self.word("198", x: 189, y: 425, width: 40, height: 20, confidence: 90),
                                        Self.word("ay,", x: 240, y: 425, width: 38, height: 20, confidence: 90)])
        #expect(Self.classifier.classify(rest) == .technical)
        #expect(Self.blanks(TextRedaction.identifying.rectangles(for: [label, rest], classifier: Self.classifier), rest.box))
        // Beyond the value area, or on another row, technical text stays.
        let far = DetectedLine(words: [Self.word("MI", x: 28 + 106 + 7 * 18, y: 427, width: 30, height: 18)])
        let below = DetectedLine(words: [Self.word("MI", x: 150, y: 480, width: 30, height: 18)])
        let kept = TextRedaction.identifying.rectangles(for: [label, far, below], classifier: Self.classifier)
        #expect(!kept.contains { TextRedactionTests.overlaps($0, far.box) || TextRedactionTests.overlaps($0, below.box) })
    }

    static func overlaps(_ a: PixelRectangle, _ b: PixelRectangle) -> Bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    /// The rest of a value read in part (`NORTHGATE` of `NORTHGATE HOSPITAL`) continues in the same ink: an
    /// identifying line is stretched over its text-like run, and no further than a wide gap.
    @Test func identifyingLinesAreStretchedOverTheirTextRun() {
        let classifier = TextLineClassifier(values: [IdentifyingValue(kind: .text, text: "NORTHGATE HOSPITAL")])
        // Strokes in x 10..<110, rows 20..<34; OCR read only the first 30 pixels.
        let read = DetectedLine(words: [Self.word("NORTHGATE", x: 10, y: 20, width: 30, height: 14)])
        let run = TextRun(images: [Self.strokes()])
        let rectangles = TextRedaction.identifying.rectangles(for: [read], classifier: classifier, run: run)
        #expect(Self.blanks(rectangles, PixelRectangle(x: 10, y: 20, width: 100, height: 14)))
        #expect(!Self.blanks(TextRedaction.identifying.rectangles(for: [read], classifier: classifier), PixelRectangle(x: 10, y: 20, width: 100, height: 14)))
        // Over speckle the run does not go on, and technical lines are not stretched.
        #expect(TextRun(images: [Self.speckle()]).stretched(read.box) == read.box)
        #expect(TextRedaction.identifying.rectangles(for: [DetectedLine(words: [Self.word("MI", x: 10, y: 20, width: 30, height: 14)])],
                                                     classifier: classifier, run: run).isEmpty)
    }

    /// A wide gap (more than 1.2 text heights) ends a run: the next annotation on the row is another text.
    @Test func aTextRunEndsAtAWideGap() {
        var image = Self.strokes()
        for y in 20..<34 { for x in 50..<70 { image.pixels[y * image.width + x] = 20 } }
        let stretched = TextRun(images: [image]).stretched(PixelRectangle(x: 10, y: 20, width: 20, height: 14))
        #expect(stretched.x == 10 && stretched.x + stretched.width <= 52 && stretched.x + stretched.width >= 48, "\(stretched)")
    }

    @Test func allBlanksEveryWordGrownByItsHeight() {
        let speckle = Self.word("a", x: 50, width: 10, confidence: 3, textLike: false)
        let rectangles = TextRedaction.all.rectangles(for: [DetectedLine(words: [speckle])], classifier: Self.classifier)
        // A word read in part: its unread start and end, up to a text height either side, are blanked too.
        #expect(rectangles == [PixelRectangle(x: 50 - 14, y: 100 - 7, width: 10 + 28, height: 14 + 14)])
    }

    // MARK: - Text-likeness of pixels

    /// A dark image of `width` x `height` with light vertical strokes (2 of every 4 pixels) in rows 20..<34: text-like.
    static func strokes(width: Int = 120, height: Int = 60) -> GreyImage {
        var pixels = [UInt8](repeating: 20, count: width * height)
        for y in 20..<34 { for x in 10..<110 where x % 4 < 2 { pixels[y * width + x] = 250 } }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    /// Speckle: every pixel a pseudo-random grey.
    static func speckle(width: Int = 120, height: Int = 60) -> GreyImage {
        var state: UInt32 = 19
        let pixels = (0..<width * height).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    @Test func inkInABandOfCharacterHeightIsTextLike() {
        let band = PixelRectangle(x: 10, y: 20, width: 100, height: 14)
        #expect(TextLikeness.looksLikeText(band, in: [Self.strokes()]))
        #expect(TextLikeness.looksLikeText(band, in: [Self.strokes().inverted()]), "dark text on a light ground")
        #expect(!TextLikeness.looksLikeText(band, in: [Self.speckle()]))
        // Too low for a character, or not a band (the same ink above and below as inside).
        #expect(!TextLikeness.looksLikeText(PixelRectangle(x: 10, y: 22, width: 100, height: 5), in: [Self.strokes()]))
        #expect(!TextLikeness.looksLikeText(PixelRectangle(x: 10, y: 24, width: 100, height: 7), in: [Self.strokes()]))
    }
}
