import PixelData
import Testing
@testable import TextDetection

/// How words read are grouped into lines.
struct WordMergingTests {
    static func word(_ text: String, x: Int, y: Int, width: Int, height: Int) -> DetectedWord {
        DetectedWord(text: text, box: PixelRectangle(x: x, y: y, width: width, height: height), confidence: 70)
    }

    /// 023-sc of the corpus (seed 19): a speckle "word" between a label and its value, lower on the row, made the
    /// value join it instead of the label (`RN` | `at K553098`), and the label stayed unblanked.
    @Test func aWordJoinsTheLineItIsBestAlignedWith() {
        let label = Self.word("RN", x: 505, y: 407, width: 21, height: 14)
        let speckle = Self.word("at", x: 533, y: 416, width: 11, height: 12)
        let value = Self.word("K553098", x: 536, y: 407, width: 75, height: 15)
        let lines = WordMerging.lines([value, speckle, label])
        #expect(lines.contains { $0.text == "RN K553098" }, "\(lines.map(\.text))")
        #expect(lines.contains { $0.text == "at" })
    }

    @Test func wordsFarApartOnARowAreTwoLines() {
        let lines = WordMerging.lines([Self.word("MI", x: 10, y: 10, width: 20, height: 10), Self.word("0.6", x: 100, y: 10, width: 20, height: 10)])
        #expect(lines.count == 2)
    }
}
