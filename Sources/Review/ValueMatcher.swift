import DICOMCore
import IdentifyingTerms
import Foundation

/// Finds identifier terms inside one value.
///
/// Matching is case-insensitive (both sides upper-cased):
/// - names match as whole words (not inside a longer word: `ANN` does not match `ANNOTATION`);
/// - identifiers and text match anywhere, as substrings of longer text, except that an all-digit identifier
///   must not sit inside a longer number; it matches with any number of leading zeros, its own or none
///   (`00012345` is found as `12345`), when at least ``minimumSignificantDigits`` digits remain;
/// - dates match in their written forms (``dateForms(_:)``), never inside a longer number;
/// - numeric IDs and dates inside a UID count only when the UID is the original's (``OriginalUIDs``).
///
/// Where: text VRs that can carry words (AE, LO, LT, PN, SH, ST, UC, UR, UT, and UN read as text) are
/// searched for every kind; CS for names, dates and identifiers (a name planted in Body Part Examined is a
/// leak; a code string that merely equals a name, such as `CT` or `TEXT`, is reported with low confidence by
/// the caller, ``isWholeValue(_:of:)``); DA, DT and UI only for dates and identifiers. DS, IS, TM and AS are
/// numbers, times and ages: not searched (a number that happens to equal an accession number is no leak).
struct ValueMatcher {
    /// A prepared term: its forms as byte strings.
    struct Prepared {
        var term: IdentifierTerm
        var forms: [[UInt8]]
    }

    let prepared: [Prepared]

    /// Every form of every term, flat, with what matching it needs: searched in one pass over contiguous
    /// storage (no per-value copies of the term lists).
    private struct Form {
        var bytes: [UInt8]
        var first: UInt8
        var kind: IdentifierTerm.Kind
        var digitsOnly: Bool
        /// An ID or date form of digits and dots only: it can sit inside a UID (``OriginalUIDs``).
        var numeric: Bool
        /// A date's `YYYYMMDD` form.
        var compactDate: Bool
        var term: Int
    }
    private let forms: ContiguousArray<Form>
    /// Decides matches inside UIDs.
    private let uids: OriginalUIDs

    /// - Parameters:
    ///   - terms: what to look for.
    ///   - originalUIDs: every UID of the original: numeric IDs and dates inside other UIDs are not reported
    ///     (``OriginalUIDs``).
    init(terms: [IdentifierTerm], originalUIDs: Set<String> = []) {
        uids = OriginalUIDs(originalUIDs)
        prepared = terms.map { term in
            if term.kind == .date { return Prepared(term: term, forms: Self.dateFormBytes(term.text)) }
            if term.kind == .id { return Prepared(term: term, forms: [Self.significant(Array(term.text.utf8))]) }
            return Prepared(term: term, forms: [Array(term.text.utf8)])
        }
        var flat = ContiguousArray<Form>()
        for (index, entry) in prepared.enumerated() {
            for bytes in entry.forms where !bytes.isEmpty {
                let kind = entry.term.kind
                let numeric = (kind == .id || kind == .date) && bytes.allSatisfy { Self.isDigit($0) || $0 == UInt8(ascii: ".") }
                flat.append(Form(bytes: bytes, first: bytes[0], kind: kind,
                                 digitsOnly: kind == .id && bytes.allSatisfy(Self.isDigit), numeric: numeric,
                                 compactDate: kind == .date && bytes.allSatisfy(Self.isDigit), term: index))
            }
        }
        forms = flat
    }

    /// Digits an all-digit identifier must keep without its leading zeros to be looked for without them: shorter
    /// numbers (`1234`) are years, counts and series numbers in descriptions.
    static let minimumSignificantDigits = 5

    /// An all-digit identifier without its leading zeros when enough digits remain, else as written. Matching
    /// then allows any run of zeros before it (``contains(_:_:kind:)``), so both forms are found.
    static func significant(_ id: [UInt8]) -> [UInt8] {
        guard !id.isEmpty, id.allSatisfy(isDigit) else { return id }
        let digits = Array(id.drop { $0 == UInt8(ascii: "0") })
        return digits.count >= minimumSignificantDigits ? digits : id
    }

    /// Which values of a VR are searched, and for what: everything, names, dates and identifiers (code
    /// strings), dates and identifiers, or nothing.
    enum Scope { case all, namesDatesAndIDs, datesAndIDs, none }

    static func scope(of vr: VR) -> Scope {
        switch vr {
        case .AE, .LO, .LT, .PN, .SH, .ST, .UC, .UR, .UT, .UN: return .all
        case .CS: return .namesDatesAndIDs
        case .DA, .DT, .UI: return .datesAndIDs
        default: return .none
        }
    }

    /// Whether `term` is one whole value of `value` (values split at `\`, spaces of padding ignored): a code
    /// string that merely equals a name, rather than a name among other words.
    static func isWholeValue(_ term: IdentifierTerm, of value: [UInt8]) -> Bool {
        let wanted = Array(term.text.utf8)
        let space = UInt8(ascii: " ")
        for part in value.split(separator: UInt8(ascii: "\\"), omittingEmptySubsequences: false) {
            var trimmed = part[...]
            while trimmed.first == space { trimmed.removeFirst() }
            while trimmed.last == space { trimmed.removeLast() }
            if trimmed.elementsEqual(wanted) { return true }
        }
        return false
    }

    /// The first term found in `value` (upper-cased by the caller), or nil.
    /// - Parameter isUID: `value` is a UI value: numeric IDs and dates in it count only when it is the
    ///   original's (``OriginalUIDs``), as inside UID-shaped runs of other text.
    func firstMatch(in value: [UInt8], scope: Scope, isUID: Bool = false) -> IdentifierTerm? {
        guard scope != .none, !value.isEmpty else { return nil }
        // Bytes the value holds, as a 256-bit set: a form whose first byte is absent cannot match (most cannot).
        var low: UInt64 = 0, midLow: UInt64 = 0, midHigh: UInt64 = 0, high: UInt64 = 0
        for byte in value {
            let bit = UInt64(1) << UInt64(byte & 63)
            switch byte >> 6 {
            case 0: low |= bit
            case 1: midLow |= bit
            case 2: midHigh |= bit
            default: high |= bit
            }
        }
        func present(_ byte: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(byte & 63)
            switch byte >> 6 {
            case 0: return low & bit != 0
            case 1: return midLow & bit != 0
            case 2: return midHigh & bit != 0
            default: return high & bit != 0
            }
        }
        let count = forms.count
        var index = 0
        while index < count {
            defer { index += 1 }
            let kind = forms[index].kind
            switch scope {
            case .datesAndIDs where kind != .date && kind != .id: continue
            case .namesDatesAndIDs where kind == .text: continue
            default: break
            }
            guard present(forms[index].first), forms[index].bytes.count <= value.count else { continue }
            let form = forms[index]
            let found: Bool
            if form.numeric {
                found = Self.contains(value, form.bytes, kind: kind, digitsOnly: form.digitsOnly) { start, end in
                    uids.accepts(value, start, end, kind: kind, compactDate: form.compactDate, isUID: isUID)
                }
            } else {
                found = Self.contains(value, form.bytes, kind: kind, digitsOnly: form.digitsOnly)
            }
            if found { return prepared[form.term].term }
        }
        return nil
    }

    /// `needle` occurs in `haystack` with the boundaries its kind asks for.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8], kind: IdentifierTerm.Kind) -> Bool {
        contains(haystack, needle, kind: kind, digitsOnly: kind == .id && needle.allSatisfy(isDigit))
    }

    /// - Parameter accepts: asked about each bounded occurrence (its start and end); scanning goes on when it
    ///   declines.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8], kind: IdentifierTerm.Kind,
                                 digitsOnly: Bool, accepts: (Int, Int) -> Bool = { _, _ in true }) -> Bool {
        let count = needle.count, length = haystack.count
        guard count > 0, length >= count else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { want in
                let first = want[0]
                var start = 0
                while start <= length - count {
                    if hay[start] == first {
                        var matched = 1
                        while matched < count, hay[start + matched] == want[matched] { matched += 1 }
                        if matched == count {
                            // An all-digit ID may follow zeros of padding: what counts is the byte before them.
                            var lead = start
                            if digitsOnly { while lead > 0, hay[lead - 1] == UInt8(ascii: "0") { lead -= 1 } }
                            let before: UInt8? = lead > 0 ? hay[lead - 1] : nil
                            let after: UInt8? = start + count < length ? hay[start + count] : nil
                            if bounded(before, after, kind: kind, digitsOnly: digitsOnly), accepts(start, start + count) {
                                return true
                            }
                        }
                    }
                    start += 1
                }
                return false
            }
        }
    }

    private static func bounded(_ before: UInt8?, _ after: UInt8?, kind: IdentifierTerm.Kind, digitsOnly: Bool) -> Bool {
        switch kind {
        case .name: return !(before.map(isWordByte) ?? false) && !(after.map(isWordByte) ?? false)
        case .date: return !(before.map(isDigit) ?? false) && !(after.map(isDigit) ?? false)
        case .id: return !digitsOnly || (!(before.map(isDigit) ?? false) && !(after.map(isDigit) ?? false))
        case .text: return true
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    /// Letters and digits, including every byte of a multi-byte UTF-8 letter.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
    }

    static let months = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
                         "OCTOBER", "NOVEMBER", "DECEMBER"]

    /// ``dateForms(_:)`` as bytes, remembered: the same dates recur in every file of a study.
    static func dateFormBytes(_ date: String) -> [[UInt8]] {
        dateFormLock.lock()
        let known = dateFormCache[date]
        dateFormLock.unlock()
        if let known { return known }
        let forms = dateForms(date).map { Array($0.utf8) }
        dateFormLock.lock()
        if dateFormCache.count > 100_000 { dateFormCache.removeAll(keepingCapacity: true) }
        dateFormCache[date] = forms
        dateFormLock.unlock()
        return forms
    }

    private static let dateFormLock = NSLock()
    nonisolated(unsafe) private static var dateFormCache: [String: [[UInt8]]] = [:]

    /// The written forms of a `YYYYMMDD` date (upper-cased; shown for 5 January 2023):
    /// - numeric, with the day and month padded and not: `20230105`, `2023-01-05`, `2023-1-5`, `2023/01/05`,
    ///   `2023/1/5`, `2023.01.05`, `05/01/2023`, `5/1/2023`, `01/05/2023`, `1/5/2023` (day first and month first),
    ///   `05.01.2023`, `5.1.2023`, `05-01-2023`, `5-1-2023`, `01-05-2023`, `1-5-2023`;
    /// - two-digit years only with slashes (`05/01/23`, `5/1/23`, `01/05/23`, `1/5/23`) and padded dots
    ///   (`05.01.23`): dashes and unpadded dots around two-digit numbers are version numbers (`V1.5.23`);
    /// - with the month's name or its first three letters: `January 5, 2023`, `Jan 05, 2023`, `Jan 5 2023`,
    ///   `5 January 2023`, `05 Jan 2023`, `05-Jan-2023`, `5-Jan-2023`, `05Jan2023`, `05-Jan-23`.
    ///
    /// None matches inside a longer number (``ValueMatcher`` bounds dates by non-digits).
    static func dateForms(_ date: String) -> [String] {
        let digits = Array(date)
        guard digits.count == 8, digits.allSatisfy(\.isNumber) else { return [date] }
        let y = String(digits[0..<4]), yy = String(digits[2..<4]), m = String(digits[4..<6]), d = String(digits[6..<8])
        var forms = [date, "\(y)-\(m)-\(d)", "\(y)/\(m)/\(d)", "\(y).\(m).\(d)", "\(d)/\(m)/\(y)", "\(d).\(m).\(y)",
                     "\(d)-\(m)-\(y)", "\(m)/\(d)/\(y)", "\(m)-\(d)-\(y)", "\(d)/\(m)/\(yy)", "\(m)/\(d)/\(yy)",
                     "\(d).\(m).\(yy)"]
        if let month = Int(m), (1...12).contains(month), let day = Int(d), (1...31).contains(day) {
            forms += ["\(y)-\(month)-\(day)", "\(y)/\(month)/\(day)", "\(day)/\(month)/\(y)", "\(month)/\(day)/\(y)",
                      "\(day).\(month).\(y)", "\(day)-\(month)-\(y)", "\(month)-\(day)-\(y)", "\(day)/\(month)/\(yy)",
                      "\(month)/\(day)/\(yy)"]
            let name = months[month - 1], short = String(name.prefix(3))
            for monthName in [name, short] {
                forms += ["\(monthName) \(day), \(y)", "\(monthName) \(d), \(y)", "\(monthName) \(day) \(y)",
                          "\(day) \(monthName) \(y)", "\(d) \(monthName) \(y)"]
            }
            forms += ["\(d)-\(short)-\(y)", "\(day)-\(short)-\(y)", "\(d)\(short)\(y)", "\(d)-\(short)-\(yy)"]
        }
        var seen: Set<String> = []
        return forms.filter { seen.insert($0).inserted }
    }
}
