import PixelData

/// Which detected text is blanked (`--text-redaction`).
public enum TextRedaction: String, Sendable, Hashable, CaseIterable {
    /// Lines the ``TextLineClassifier`` finds identifying; technical text stays readable.
    case identifying
    /// Every line detected.
    case all

    /// The rectangles to blank for `lines`: each chosen line's box grown by half its height to the left and
    /// right and a quarter above and below (at least 2 pixels): OCR boxes hug the ink, and a word read cut short
    /// (`CT` for `CTR`) ends before the text does.
    public func rectangles(for lines: [DetectedLine], classifier: TextLineClassifier) -> [PixelRectangle] {
        lines.filter { self == .all || classifier.classify($0).isIdentifying }.map { line in
            let box = line.box
            let across = max(2, box.height / 2), down = max(2, box.height / 4)
            return PixelRectangle(x: box.x - across, y: box.y - down, width: box.width + 2 * across, height: box.height + 2 * down)
        }
    }
}
