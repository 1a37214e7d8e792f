import PixelData

/// Words that sit on one text line, close together, left to right: what is blanked or kept as a whole.
public struct DetectedLine: Sendable, Hashable {
    public var words: [DetectedWord]

    public init(words: [DetectedWord]) {
        self.words = words
    }

    /// The words joined by single spaces.
    public var text: String { words.map(\.text).joined(separator: " ") }

    /// The smallest rectangle holding every word.
    public var box: PixelRectangle { DetectedLine.union(words.map(\.box)) }

    static func union(_ boxes: [PixelRectangle]) -> PixelRectangle {
        guard let first = boxes.first else { return PixelRectangle(x: 0, y: 0, width: 0, height: 0) }
        var left = first.x, top = first.y, right = first.x + first.width, bottom = first.y + first.height
        for box in boxes.dropFirst() {
            left = min(left, box.x)
            top = min(top, box.y)
            right = max(right, box.x + box.width)
            bottom = max(bottom, box.y + box.height)
        }
        return PixelRectangle(x: left, y: top, width: right - left, height: bottom - top)
    }
}
