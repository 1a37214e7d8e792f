import PixelData

/// Which detected text is blanked (`--text-redaction`).
public enum TextRedaction: String, Sendable, Hashable, CaseIterable {
    /// Lines the ``TextLineClassifier`` finds identifying (with the unreadable text beside them), and text OCR
    /// cannot read with confidence; technical text read with confidence stays readable.
    case identifying
    /// Every word detected, whatever its confidence.
    case all

    /// Below this confidence (Tesseract's 0 to 100) a word is not trusted to be what was read: under
    /// ``identifying`` its box is blanked when its pixels look like text (``DetectedWord/textLike``) and what was
    /// read is not plausible technical text. Recall comes before precision: unreadable text could be a name.
    public static let confidenceFloor = 40.0

    /// The rectangles to blank for `lines`. Under ``all``, every line, grown by its height to each side. Under
    /// ``identifying``:
    /// - each line the classifier finds identifying;
    /// - each line beside an identifying one on the same row (vertically overlapping by half the lower height, at
    ///   most two text heights apart) that holds a word read below ``confidenceFloor``: a value after a label, or
    ///   a name over speckle, that OCR read as a separate, garbled line;
    /// - after a label (a line classified ``TextClassification/labelled``), ``labelValueHeights`` text heights to
    ///   its right, and each line that starts there: the value OCR did not read, read in part, or read apart;
    /// - each text-like word read below ``confidenceFloor`` elsewhere that is not plausible technical text (only
    ///   that word: its line's confident words are technical text to keep).
    ///
    /// A blanked line is grown by its height to the left and right and a quarter of it above and below, a word by
    /// half its height across (at least 2 pixels): OCR boxes hug the ink, and a word read cut short (`CT` for
    /// `CTR`, `WALSKI` for `KOWALSKI`) ends before the text does.
    public func rectangles(for lines: [DetectedLine], classifier: TextLineClassifier) -> [PixelRectangle] {
        rectangles(for: lines, classifier: classifier, run: nil)
    }

    /// As ``rectangles(for:classifier:)``; with `run`, each identifying line is first stretched over the text-like
    /// run of its row (``TextRun``): the rest of a value read in part, the value after a label.
    func rectangles(for lines: [DetectedLine], classifier: TextLineClassifier, run: TextRun?) -> [PixelRectangle] {
        // Everything found is blanked: grown by a whole text height to each side and half of one above and below,
        // so that the unread start or end of a word read in part is blanked too.
        if self == .all { return lines.map { Self.padded($0.box, across: max(2, $0.box.height), down: max(2, $0.box.height / 2)) } }
        let classes = lines.map { classifier.classify($0) }
        let identifying = classes.map(\.isIdentifying)
        // Where the value after each label lies: the label's line grown to the right.
        let values = lines.indices.filter { classes[$0] == .labelled }.map { Self.valueArea(after: lines[$0].box) }
        var boxes: [PixelRectangle] = []
        for (index, line) in lines.enumerated() {
            let besideIdentifying = line.words.contains { $0.confidence < Self.confidenceFloor }
                && lines.indices.contains { identifying[$0] && Self.sameRow(lines[$0].box, line.box) }
            let afterLabel = values.contains { Self.startsInside(line.box, $0) }
            if identifying[index] {
                var box = run?.stretched(line.box) ?? line.box
                if classes[index] == .labelled { box = DetectedLine.union([box, Self.valueArea(after: line.box)]) }
                boxes.append(Self.padded(box, across: max(2, line.box.height), down: max(2, line.box.height / 4)))
            } else if besideIdentifying || afterLabel {
                boxes.append(Self.padded(line.box, across: max(2, line.box.height), down: max(2, line.box.height / 4)))
            } else {
                boxes += line.words.filter(Self.isUnreadableText).map { Self.padded($0.box) }
            }
        }
        return boxes
    }

    /// Whether `word` is text OCR could not read with confidence: text-like pixels, a low confidence, and a
    /// reading that is not plausible technical text (a number, a number with a unit, a short abbreviation such
    /// as `MI`, `TIS` or `C5-1`), which is kept as read.
    static func isUnreadableText(_ word: DetectedWord) -> Bool {
        word.textLike && word.confidence < confidenceFloor && !isPlausiblyTechnical(word.text)
    }

    /// A number of at most five digits, possibly with a unit or an abbreviation (`0.6`, `18Hz`, `cm2`, `C5-1`), or
    /// a word of at most four letters (`MI`, `TIS`, `kHz`): what technical annotations are made of. A name read
    /// badly over speckle is usually longer, or lies on a line beside identifying text.
    static func isPlausiblyTechnical(_ text: String) -> Bool {
        let characters = Array(text.filter { !",;:()".contains($0) })
        guard !characters.isEmpty, characters.allSatisfy(\.isASCII) else { return false }
        let digits = characters.filter(\.isNumber).count
        let letters = characters.filter(\.isLetter).count
        return digits <= 5 && letters <= 4 && characters.count - digits - letters <= 2
            && (digits > 0 || letters <= 3 || characters.allSatisfy(\.isUppercase))
    }

    /// How far the value after a label reaches, in text heights: about ten characters (a date, an ID).
    static let labelValueHeights = 6

    /// The area right of a label's line where its value is written: the line's row, ``labelValueHeights`` heights
    /// beyond its end. OCR often reads the label and not the value, or its first part only (`DOB 2001-`,
    /// `Ref: Dr HOL`), or the value as a separate line after a wide gap.
    static func valueArea(after label: PixelRectangle) -> PixelRectangle {
        PixelRectangle(x: label.x, y: label.y, width: label.width + labelValueHeights * label.height, height: label.height)
    }

    /// Whether `line` starts inside `area` on its row (vertically overlapping by half the lower height).
    static func startsInside(_ line: PixelRectangle, _ area: PixelRectangle) -> Bool {
        let overlap = min(line.y + line.height, area.y + area.height) - max(line.y, area.y)
        return line != area && line.x > area.x && line.x < area.x + area.width && 2 * overlap >= min(line.height, area.height)
    }

    /// Two line boxes on one row: overlapping vertically by half the lower height, at most two heights apart.
    static func sameRow(_ a: PixelRectangle, _ b: PixelRectangle) -> Bool {
        let overlap = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
        let height = min(a.height, b.height)
        let gap = max(a.x, b.x) - min(a.x + a.width, b.x + b.width)
        return a != b && 2 * overlap >= height && gap <= 2 * max(a.height, b.height)
    }

    static func padded(_ box: PixelRectangle) -> PixelRectangle {
        padded(box, across: max(2, box.height / 2), down: max(2, box.height / 4))
    }

    static func padded(_ box: PixelRectangle, across: Int, down: Int) -> PixelRectangle {
         PixelRectangle(x: box.x - across, y: box.y - down, width: box.width + 2 * across, height: box.height + 2 * down)
    }
}
