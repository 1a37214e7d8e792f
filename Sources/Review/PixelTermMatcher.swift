import IdentifyingTerms
import PixelData
import TextDetection

/// Which identifying terms of an original a line read by OCR holds. No matcher of its own: a term is read when
/// ``TextDetection/TextLineClassifier`` (the approximate matching `--detect-text` blanks by: OCR confusions,
/// a few edits, words cut short or run together) matches it, or when ``ValueMatcher`` (the header check's exact
/// matching, which knows every written form of a date: `04/12/1961`, `12 APR 1961`) finds it in the line.
struct PixelTermMatcher {
    private let terms: [(term: IdentifierTerm, classifier: TextLineClassifier, exact: ValueMatcher)]
    /// All terms at once, for the line's classification (identifying or technical).
    let classifier: TextLineClassifier

    init(terms: [IdentifierTerm]) {
        self.terms = terms.map { term in
            let value = IdentifyingValue(kind: term.kind, text: term.text)
            return (term, TextLineClassifier(values: [value]), ValueMatcher(terms: [term]))
        }
        classifier = TextLineClassifier(values: terms.map { IdentifyingValue(kind: $0.kind, text: $0.text) })
    }

    /// The terms `line` holds, each with the box of the words that hold it, and whether it is there as written
    /// (``ValueMatcher`` finds it) rather than only approximately (`ARY` read for `MARY`: as likely speckle or a
    /// longer word cut).
    func matches(in line: DetectedLine) -> [(term: IdentifierTerm, box: PixelRectangle, exact: Bool)] {
        terms.compactMap { entry in
            let text = line.words.map(\.text)
            let exact = Self.exactly(entry.exact, text)
            guard exact || Self.approximately(entry.classifier, text) else { return nil }
            let words = line.words.filter { Self.exactly(entry.exact, [$0.text]) || Self.approximately(entry.classifier, [$0.text]) }
            return (entry.term, words.isEmpty ? line.box : DetectedLine(words: words).box, exact)
        }
    }

    private static func approximately(_ classifier: TextLineClassifier, _ words: [String]) -> Bool {
        if case .headerValue = classifier.classify(words: words) { return true }
        return false
    }

    private static func exactly(_ matcher: ValueMatcher, _ words: [String]) -> Bool {
        matcher.firstMatch(in: Array(words.joined(separator: " ").uppercased().utf8), scope: .all) != nil
    }
}
