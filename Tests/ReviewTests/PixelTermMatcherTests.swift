import DICOMCore
import IdentifyingTerms
import PixelData
@testable import Review
import Testing
import TextDetection

/// Which identifiers of the original a line read by OCR holds, and where (`check --ocr`), without running OCR.
struct PixelTermMatcherTests {
    static let terms = [
        IdentifierTerm(kind: .name, text: "CLEVELAND", source: Tag(0x0010, 0x0010)),
        IdentifierTerm(kind: .name, text: "MARY", source: Tag(0x0010, 0x0010)),
        IdentifierTerm(kind: .id, text: "48213377", source: Tag(0x0010, 0x0020)),
        IdentifierTerm(kind: .date, text: "19610412", source: Tag(0x0010, 0x0030)),
        IdentifierTerm(kind: .text, text: "BAPTIST MED CTR", source: Tag(0x0008, 0x0080)),
    ]

    /// A line of `words` laid out left to right, 10 pixels apart, each 8 pixels per character wide.
    static func line(_ words: [String]) -> DetectedLine {
        var x = 5
        return DetectedLine(words: words.map { text in
            defer { x += text.count * 8 + 10 }
            return DetectedWord(text: text, box: PixelRectangle(x: x, y: 20, width: text.count * 8, height: 12), confidence: 90)
        })
    }

    static func found(_ words: [String]) -> [(text: String, box: PixelRectangle, exact: Bool)] {
        PixelTermMatcher(terms: terms).matches(in: line(words)).map { ($0.term.text, $0.box, $0.exact) }
    }

    @Test func aNameReadAsWrittenIsExactAndBoxedToItsWord() {
        let hits = Self.found(["Name:", "CLEVELAND,", "JOHN"])
        #expect(hits.map(\.text) == ["CLEVELAND"])
        #expect(hits.first?.exact == true)
        #expect(hits.first?.box == PixelRectangle(x: 55, y: 20, width: 80, height: 12))
    }

    @Test func ocrConfusionsAndCutWordsMatchWithLowConfidence() {
        #expect(Self.found(["CLEVELAN.."]).map { "\($0.text) \($0.exact)" } == ["CLEVELAND false"])
        #expect(Self.found(["ID", "4821337?"]).map { "\($0.text) \($0.exact)" } == ["48213377 false"])
        #expect(Self.found(["ary"]).map { "\($0.text) \($0.exact)" } == ["MARY false"])
    }

    @Test(arguments: ["04/12/1961", "12.04.1961", "1961-04-12", "19610412"])
    func aDateInAnyWrittenFormIsFound(_ date: String) {
        #expect(Self.found(["DOB", date]).map(\.text) == ["19610412"], "\(date)")
    }

    @Test func theInstitutionIsFoundWholeAndByItsWords() {
        #expect(Self.found(["BAPTIST", "MED", "CTR"]).map(\.text) == ["BAPTIST MED CTR"])
        #expect(Self.found(["parr", "ist", "MED", "CTR"]).map(\.text) == ["BAPTIST MED CTR"])
    }

    @Test func technicalTextHoldsNoTerm() {
        #expect(Self.found(["TIS<0.4", "MI=0.8", "AO=100%"]).isEmpty)
        #expect(Self.found(["LYMPH", "NODE"]).isEmpty)
        #expect(Self.found(["3cm3cm", "GM12L", "+2:09:04"]).isEmpty)
    }
}
