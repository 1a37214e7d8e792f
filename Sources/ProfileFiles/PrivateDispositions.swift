import DICOMCore
import Deidentification
import Foundation

/// Private attribute dispositions: a CSV file that says, per private attribute named by group, private
/// creator and element byte, what to do with it wherever the creator's block sits (TCIA's approach: judge
/// private attributes by their creator, not their tag).
///
/// Columns, with a header line: `group,private_creator,element,action[,vr][,comment]`.
/// - `group`: four hex digits, odd (`0019`);
/// - `private_creator`: the creator string as written in the block's (gggg,00xx) element (trailing spaces
///   ignored); double quotes around it allow commas;
/// - `element`: the low byte of the element, two hex digits (`0C`; `xx0C` and `100C` are accepted too);
/// - `action`: `keep`, `remove`, `empty`, `dummy`, `new-uid` or `shift-dates`;
/// - `vr` and `comment`: documentation, not used for matching.
/// Blank lines and lines starting with `#` are skipped.
public enum PrivateDispositions {
    /// One line of a disposition file.
    public struct Entry: Sendable {
        public var key: PrivateAttributeKey
        /// The action as written, lower case (`keep`, `remove`, ...).
        public var actionName: String
        public var action: RuleAction
        /// The `comment` column ("" when absent); TCIA's converted base starts it with its code (`TCIA k; ...`).
        public var comment: String
        public var line: Int
    }

    /// The rules of the disposition file at `path`.
    /// - Throws: ``ProfileFileError`` naming the file and line.
    public static func load(path: String) throws(ProfileFileError) -> [Rule] {
        let text = try ProfileText.read(path, what: "private dispositions")
        return try parse(text, file: path)
    }

    /// The lines of the disposition file at `path` (for reports that show a file's dispositions beside a profile's).
    /// - Throws: ``ProfileFileError`` naming the file and line.
    public static func loadEntries(path: String) throws(ProfileFileError) -> [Entry] {
        try entries(try ProfileText.read(path, what: "private dispositions"), file: path)
    }

    /// The rules of disposition CSV `text`; `file` names it in errors and rule origins.
    public static func parse(_ text: String, file: String) throws(ProfileFileError) -> [Rule] {
        try entries(text, file: file).map { entry in
            Rule(.privateAttribute(entry.key), entry.action, origin: .file(path: file, line: entry.line),
                 note: "private disposition \(entry.actionName)")
        }
    }

    /// The lines of disposition CSV `text`, checked; `file` names it in errors.
    public static func entries(_ text: String, file: String) throws(ProfileFileError) -> [Entry] {
        var entries: [Entry] = []
        var sawHeader = false
        var seen: [PrivateAttributeKey: Int] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            guard let fields = CSVLine.fields(line) else {
                throw ProfileFileError(file: file, line: lineNumber, "unbalanced double quote")
            }
            if !sawHeader {
                let names = fields.map { $0.lowercased() }
                guard names.count >= 4, Array(names.prefix(4)) == ["group", "private_creator", "element", "action"] else {
                    throw ProfileFileError(file: file, line: lineNumber,
                                           "the header must be group,private_creator,element,action[,vr][,comment]")
                }
                sawHeader = true
                continue
            }
            guard fields.count >= 4 else {
                throw ProfileFileError(file: file, line: lineNumber, "expected at least 4 fields, found \(fields.count)")
            }
            guard let group = UInt16(fields[0], radix: 16), fields[0].count == 4, group & 1 == 1, group > 0x0008 else {
                throw ProfileFileError(file: file, line: lineNumber, "group '\(fields[0])' is not an odd (private) group of four hex digits")
            }
            let creator = fields[1].trimmingCharacters(in: .whitespaces)
            guard !creator.isEmpty else {
                throw ProfileFileError(file: file, line: lineNumber, "empty private creator")
            }
            guard let byte = elementByte(fields[2]) else {
                throw ProfileFileError(file: file, line: lineNumber, "element '\(fields[2])' is not an element byte (two hex digits)")
            }
            let actionText = fields[3].trimmingCharacters(in: .whitespaces).lowercased()
            guard let name = RuleActionName(rawValue: actionText), let action = name.fixedAction,
                  name != .pseudonym else {
                throw ProfileFileError(file: file, line: lineNumber,
                                       "unknown action '\(fields[3])' (use keep, remove, empty, dummy, new-uid or shift-dates)")
            }
            let key = PrivateAttributeKey(group: group, creator: creator, elementByte: byte)
            if let first = seen[key] {
                throw ProfileFileError(file: file, line: lineNumber, "\(key) is listed twice (first on line \(first))")
            }
            seen[key] = lineNumber
            entries.append(Entry(key: key, actionName: actionText, action: action,
                                 comment: fields.count > 5 ? fields[5] : "", line: lineNumber))
        }
        guard sawHeader else { throw ProfileFileError(file: file, line: nil, "no header line") }
        return entries
    }

    /// `0C`, `xx0C` or `100C`: the low byte.
    private static func elementByte(_ text: String) -> UInt8? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch t.count {
        case 2: return UInt8(t, radix: 16)
        case 4:
            if t.hasPrefix("xx") { return UInt8(t.dropFirst(2), radix: 16) }
            guard let value = UInt16(t, radix: 16), value >= 0x1000 else { return nil }
            return UInt8(truncatingIfNeeded: value)
        default: return nil
        }
    }
}

/// One line of CSV (RFC 4180 quoting, no line breaks inside fields).
enum CSVLine {
    /// The fields, unquoted; nil when a quote is not closed.
    static func fields(_ line: Substring) -> [String]? {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if inQuotes { return nil }
        fields.append(current)
        return fields
    }
}
