import IdentifyingTerms
/// Decides which detected text lines identify someone: a line is identifying when any of its words matches an
/// identifying value of the file's own header, approximately, or matches a generic pattern (a date, six or more
/// digits in a row, a word after an identity label). Everything else is technical text and is kept.
///
/// Approximate matching tolerates what OCR gets wrong in burned-in text:
/// - characters it confuses are folded together on both sides before comparing (`0`/`O`/`Q`/`D`, `1`/`I`/`L`/`|`,
///   `5`/`S`, `8`/`B`, `2`/`Z`, `6`/`G`), so `PATIENTF1` matches `PATIENTFI`;
/// - a few edits are allowed: one for words of 4 to 6 characters, two from 7 (none for 3 or fewer);
/// - a word cut short matches the start of a value (`CLEVELAN..` matches `CLEVELAND`) when at least 5 characters and
///   three quarters of the value remain;
/// - words run together match: the line's letters and digits without spaces containing a value of 5 or more
///   characters (`DOE,JANE` read as one word).
/// Punctuation is ignored, and the parts of a word between punctuation are compared too. Values of fewer than 3 letters and digits are not matched (too many technical words
/// would equal them).
public struct TextLineClassifier: Sendable {
    /// The identifying words to look for, folded, with the kind of value each comes from.
    private let terms: [(folded: [UInt8], kind: IdentifyingValue.Kind)]

    /// Words that introduce identifying text on the same line (compared upper-cased, folded, without `:` or `#`).
    static let labels: Set<String> = ["DOB", "MRN", "ID", "PID", "NAME", "PATIENT", "PAT", "ACC", "ACCESSION", "BIRTH", "BORN", "REF",
                                      "PHYSICIAN", "SSN", "NHS", "DATE"]
    private static let foldedLabels: Set<[UInt8]> = Set(labels.map { fold(Array($0.utf8)) })

    /// - Parameter values: the identifying values of the file's header.
    public init(values: [IdentifyingValue]) {
        var terms: [(folded: [UInt8], kind: IdentifyingValue.Kind)] = []
        var seen: Set<[UInt8]> = []
        for value in values {
            // An institution or address is matched word by word, and whole; a name component or an ID whole.
            let pieces = value.kind == .text ? value.text.split(separator: " ").map(String.init) + [value.text] : [value.text]
            for piece in pieces {
                let folded = Self.fold(Array(piece.uppercased().utf8))
                if folded.count >= 3, seen.insert(folded).inserted { terms.append((folded, value.kind)) }
            }
        }
        self.terms = terms
    }

    /// What `line` is: the first reason it is identifying, or ``TextClassification/technical``.
    public func classify(_ line: DetectedLine) -> TextClassification {
        classify(words: line.words.map(\.text))
    }

    /// What a line of `words` is (see ``classify(_:)``).
    public func classify(words: [String]) -> TextClassification {
        let raw = words.map { Array($0.uppercased().utf8) }
        let folded = raw.map { Self.fold($0) }
        for word in raw {
            // The word and its parts between punctuation (`DOE,JANE`, `DOE^JANE`, `ID:48213377`). A number read
            // is not a name (`10` folds like `IO`), only possibly an ID or a date.
            let isNumber = !word.contains(where: Self.isLetter)
            let parts = word.split(whereSeparator: { !Self.isAlphanumeric($0) && $0 != UInt8(ascii: "|") && $0 != UInt8(ascii: "!") })
            for candidate in [Self.fold(word)] + parts.map({ Self.fold(Array($0)) }) where !candidate.isEmpty {
                if let term = terms.first(where: { (!isNumber || $0.kind == .id || $0.kind == .date) && Self.approximatelyEqual(candidate, $0.folded) }) {
                    return .headerValue(term.kind)
                }
            }
        }
        let joined = folded.flatMap { $0 }
        if let term = terms.first(where: { $0.folded.count >= 5 && Self.contains(joined, $0.folded) }) { return .headerValue(term.kind) }
        if raw.contains(where: Self.isDate) || Self.isSpacedDate(raw) { return .date }
        if raw.contains(where: { Self.longestDigitRun(Self.digitFolded($0)) >= 6 }) { return .longNumber }
        // A label alone counts too: the words after it may be a separate line (a wide gap) or unread.
        if zip(raw, folded).contains(where: { $0.contains(where: Self.isLetter) && Self.foldedLabels.contains($1) }) { return .labelled }
        // A label OCR split in two (`Re f:` for `Ref:`, `D OB`).
        if zip(raw.indices.dropLast(), raw.indices.dropFirst()).contains(where: { first, second in
            raw[first].contains(where: Self.isLetter) && raw[second].contains(where: Self.isLetter)
                && Self.foldedLabels.contains(folded[first] + folded[second])
        }) { return .labelled }
        return .technical
    }

    // MARK: - Folding and comparing

    /// Letters and digits only, upper-case, with the characters OCR confuses mapped to one representative.
    static func fold(_ bytes: [UInt8]) -> [UInt8] {
        bytes.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "0"), UInt8(ascii: "O"), UInt8(ascii: "Q"), UInt8(ascii: "D"): return UInt8(ascii: "O")
            case UInt8(ascii: "1"), UInt8(ascii: "I"), UInt8(ascii: "L"), UInt8(ascii: "|"), UInt8(ascii: "!"):
                return UInt8(ascii: "I")
            case UInt8(ascii: "5"), UInt8(ascii: "S"): return UInt8(ascii: "S")
            case UInt8(ascii: "8"), UInt8(ascii: "B"): return UInt8(ascii: "B")
            case UInt8(ascii: "2"), UInt8(ascii: "Z"): return UInt8(ascii: "Z")
            case UInt8(ascii: "6"), UInt8(ascii: "G"): return UInt8(ascii: "G")
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return byte
            default: return nil
            }
        }
    }

    static func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether a folded word read equals a folded term within the edits allowed, or is the term cut short.
    static func approximatelyEqual(_ word: [UInt8], _ term: [UInt8]) -> Bool {
        if word == term { return true }
        let allowed = term.count >= 7 ? 2 : term.count >= 4 ? 1 : 0
        if allowed > 0, abs(word.count - term.count) <= allowed, editDistance(word, term, limit: allowed) <= allowed { return true }
        // Cut short (at the image border, or by OCR stopping at a damaged character).
        return word.count >= 5 && word.count * 4 >= term.count * 3 && word.count < term.count && term.starts(with: word)
    }

    /// Levenshtein distance, stopping early above `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            var best = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                best = min(best, current[j])
            }
            if best > limit { return best }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    // MARK: - Generic patterns

    /// A word mostly of digits with letters OCR reads for digits turned back into digits (`1961-O4-12`, `@4.1961`).
    static func digitFolded(_ word: [UInt8]) -> [UInt8] {
        let digits = word.filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
        guard digits * 2 >= word.filter({ $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ".") }).count else { return word }
        return word.map { byte in
            switch byte {
            case UInt8(ascii: "O"), UInt8(ascii: "Q"), UInt8(ascii: "D"), UInt8(ascii: "@"): return UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "L"), UInt8(ascii: "|"): return UInt8(ascii: "1")
            case UInt8(ascii: "S"): return UInt8(ascii: "5")
            case UInt8(ascii: "B"): return UInt8(ascii: "8")
            case UInt8(ascii: "Z"): return UInt8(ascii: "2")
            default: return byte
            }
        }
    }

    static func longestDigitRun(_ word: [UInt8]) -> Int {
        var longest = 0, run = 0
        for byte in word {
            run = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    private static let months: [[UInt8]] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        .map { Array($0.utf8) }

    /// A date written in one word: a month and a year (`06/1958`), a day and a month ending in their separator
    /// (`18.11.`: the year unread), or three numbers (or a number, a month name and a number) separated by `-`, `/`
    /// or `.`, one of them of four digits or all of one or two (`12/04/61`); the last number may run on into
    /// other text (`1961-04-12,`).
    static func isDate(_ word: [UInt8]) -> Bool {
        let parts = digitFolded(word).split(whereSeparator: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".") })
            .map { Array($0) }
        if parts.count == 2 {
            // Month and year (`06/1958`), or a date OCR lost a separator of.
            let numbers = parts.map { part in part.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ? part : [] }
            guard numbers.allSatisfy({ !$0.isEmpty }) else { return false }
            // A day and a month whose year was not read (`18.11.` of `18.11.2001`): two numbers up to 31, each
            // followed by the same separator.
            let folded = digitFolded(word)
            if let last = folded.last, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(last),
               folded.filter({ $0 == last }).count == 2, numbers.allSatisfy({ $0.count <= 2 && (Int(String(decoding: $0, as: UTF8.self)) ?? 99) <= 31 }) {
                return true
            }
            let year = numbers.first { $0.count == 4 && ($0.starts(with: Array("19".utf8)) || $0.starts(with: Array("20".utf8))) }
            return year != nil && numbers.contains { $0.count <= 2 }
        }
        guard parts.count >= 3 else { return false }
        for start in 0...(parts.count - 3) {
            let three = Array(parts[start..<start + 3]).map { part -> [UInt8] in
                Array(part.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
            }
            let numeric = three.map { !$0.isEmpty && $0.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
            let month = !numeric[1] && months.contains { three[1].starts(with: $0) }
            guard numeric[0], numeric[2] || three[2].prefix(while: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }).count >= 2,
                  numeric[1] || month else { continue }
            let lengths = three.map(\.count)
            if lengths[0] <= 4, lengths[1] <= (month ? 9 : 2), (lengths[0] == 4 || lengths[0] <= 2) { return true }
        }
        return false
    }

    /// A date whose parts OCR read as separate words (`12 APR 1961`, `1961 04 12`).
    static func isSpacedDate(_ words: [[UInt8]]) -> Bool {
        guard words.count >= 3 else { return false }
        for start in 0...(words.count - 3) {
            let three = words[start..<start + 3].map { digitFolded($0) }
            let numeric = three.map { !$0.isEmpty && $0.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
            let month = months.contains { three[three.startIndex + 1].starts(with: $0) }
            let yearAtEnd = numeric[2] && three[three.startIndex + 2].count == 4
            let yearAtStart = numeric[0] && three[three.startIndex].count == 4
            if month, numeric[0], yearAtEnd { return true }
            if numeric.allSatisfy({ $0 }), yearAtEnd || yearAtStart,
               three.allSatisfy({ $0.count <= 4 }), three.filter({ $0.count <= 2 }).count == 2 { return true }
        }
        return false
    }
}
