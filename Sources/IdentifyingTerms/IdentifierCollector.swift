import DICOMCodec
import DICOMCore
import DICOMDictionary

/// Gathers the identifying values of an original data set, at every nesting level, private attributes included.
///
/// Collected from standard attributes (private ones are searched, never mined: see below): every name
/// component of every PN value (patient, physicians, operators, any person); Patient ID,
/// Other Patient IDs, Accession Number, Study ID and Device Serial Number as identifiers; every DA value and the
/// date of every DT value; Institution Name, Institution Address and Patient's Address as text. The Encrypted
/// Attributes Sequence (0400,0500) is not entered.
///
/// Trivial values are left out (see ``isTrivial(_:)``), and so are institution names and addresses that are a
/// word of the original's Manufacturer or Manufacturer's Model Name (``vendorTags``).
public enum IdentifierCollector {
    static let idTags: Set<Tag> = [Tag(0x0010, 0x0020), Tag(0x0010, 0x1000), Tag(0x0008, 0x0050),
                                   Tag(0x0020, 0x0010), Tag(0x0018, 0x1000)]
    static let textTags: Set<Tag> = [Tag(0x0008, 0x0080), Tag(0x0008, 0x0081), Tag(0x0010, 0x1040)]

    /// Manufacturer (0008,0070) and Manufacturer's Model Name (0008,1090): an institution name that is a word of
    /// one of them is the vendor's name (test and phantom files often put it in Institution Name), not a site.
    static let vendorTags: [Tag] = [Tag(0x0008, 0x0070), Tag(0x0008, 0x1090)]

    /// Words too common to identify anyone: the dummy values de-identifiers write, placeholders (`TEST`), coded
    /// words that several attributes share (modalities, sexes, yes/no), and courtesy titles. Compared upper-cased.
    static let stopWords: Set<String> = [
        "ANONYMIZED", "ANONYMISED", "ANONYMOUS", "ANON", "UNKNOWN", "NONE", "NULL", "REMOVED", "DUMMY",
        "N/A", "YES", "NO", "DEFAULT", "TEST", "OTHER", "NAME", "PATIENT", "DR", "MRS", "MISS", "PROF", "THE",
        "DOC", "ECG", "EPS", "IVOCT", "IVUS", "KER", "OCT", "OPM", "OPT", "OPV", "OAM", "POS", "REG", "RESP",
        "RTDOSE", "RTIMAGE", "RTPLAN", "RTSTRUCT", "RTRECORD", "SEG", "SMR", "STAIN", "VIDEO", "PLAN", "FID",
        "MALE", "FEMALE", "19000101",
    ]

    /// Whether a value is too trivial to look for: one or two characters, only zeros (and separators), or a
    /// stop word (``stopWords``).
    /// - Parameter text: the value, upper-cased and trimmed.
    public static func isTrivial(_ text: String) -> Bool {
        if text.count <= 2 { return true }
        if text.allSatisfy({ "0 .-/:".contains($0) }) { return true }
        return stopWords.contains(text)
    }

    /// The identifier terms of `dataSet` (deduplicated, in the order first seen).
    /// - Parameter dataSet: the original data set (restored from the Encrypted Attributes, or the original file).
    public static func terms(in dataSet: DataSet) -> [IdentifierTerm] {
        var seen: Set<String> = []
        var terms: [IdentifierTerm] = []
        let charset = SpecificCharacterSet(dataSet[.specificCharacterSet])
        let vendors = vendorTags.flatMap { dataSet[$0]?.strings(charset) ?? [] }.map { Array($0.uppercased().utf8) }
        collect(dataSet, charset: charset, depth: 0) { kind, text, tag in
            let key = kind.rawValue + "|" + text
            guard !isTrivial(text), seen.insert(key).inserted else { return }
            if kind == .text, vendors.contains(where: { containsWord($0, Array(text.utf8)) }) { return }
            terms.append(IdentifierTerm(kind: kind, text: text, source: tag))
        }
        return terms
    }

    /// Every UID value of `dataSet` (UI attributes at every nesting level, private ones included), the
    /// Encrypted Attributes aside: the UIDs a de-identified file may have kept (``OriginalUIDs``).
    public static func uids(in dataSet: DataSet) -> Set<String> {
        var found: Set<String> = []
        collectUIDs(dataSet, depth: 0, into: &found)
        return found
    }

    private static func collectUIDs(_ dataSet: DataSet, depth: Int, into found: inout Set<String>) {
        guard depth < 64 else { return }
        for element in dataSet.elements where element.tag != .encryptedAttributesSequence {
            if let sequence = element.sequence {
                for item in sequence.items { collectUIDs(item.dataSet, depth: depth + 1, into: &found) }
            } else if element.vr == .UI {
                for value in element.strings(.default) where !value.isEmpty { found.insert(value) }
            }
        }
    }

    private static func collect(_ dataSet: DataSet, charset: SpecificCharacterSet, depth: Int,
                                _ add: (IdentifierTerm.Kind, String, Tag) -> Void) {
        guard depth < 64 else { return }
        for element in dataSet.elements where element.tag != .encryptedAttributesSequence {
            if let sequence = element.sequence {
                for item in sequence.items { collect(item.dataSet, charset: charset, depth: depth + 1, add) }
                continue
            }
            // Private attributes are searched, not mined: their meaning is unknown (a PN of a private block
            // may hold a vendor word), and the patient's own identifiers are in the standard attributes.
            if element.tag.isPrivate { continue }
            let tag = element.tag
            switch element.vr {
            case .PN:
                for value in element.strings(charset) {
                    for word in nameComponents(value) { add(.name, word, tag) }
                }
            case .DA:
                for value in element.strings(charset) where value.count == 8 { add(.date, value, tag) }
            case .DT:
                for value in element.strings(charset) where value.count >= 8 {
                    add(.date, String(value.prefix(8)), tag)
                }
            default:
                if idTags.contains(tag) {
                    for value in element.strings(charset) { add(.id, value.uppercased(), tag) }
                } else if textTags.contains(tag) {
                    for value in element.strings(charset) { add(.text, value.uppercased(), tag) }
                }
            }
        }
    }

    /// `word` occurs in `text` as whole words (no letter or digit, nor byte of a multi-byte UTF-8 letter, on
    /// either side): how Review's value matcher matches a name.
    static func containsWord(_ text: [UInt8], _ word: [UInt8]) -> Bool {
        guard !word.isEmpty, text.count >= word.count else { return false }
        func isWordByte(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
        }
        for start in 0...(text.count - word.count) where text[start..<start + word.count].elementsEqual(word) {
            let end = start + word.count
            if (start == 0 || !isWordByte(text[start - 1])) && (end == text.count || !isWordByte(text[end])) { return true }
        }
        return false
    }

    /// The words of a person name: its components (`^`), groups (`=`) and the words inside them, upper-cased.
    static func nameComponents(_ value: String) -> [String] {
        value.uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" }).map(String.init)
    }
}
