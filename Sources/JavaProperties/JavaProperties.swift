/// Splits text into key/value entries as `java.util.Properties.load(Reader)` does, which is how CTP reads a
/// properties-format anonymizer script (`DAScript.toProperties`) and its lookup tables (`LookupTable`).
///
/// Natural lines end at `\n`, `\r` or `\r\n`; a line ending in an odd number of backslashes continues on the
/// next (whose leading blanks are dropped). Leading blanks are skipped; a line then starting with `#` or `!` is
/// a comment. The key ends at the first unescaped `=`, `:` or blank (blanks and one `=`/`:` after it are skipped);
/// the value is the rest. In key and value `\t`, `\n`, `\r`, `\f`, `\uXXXX` are decoded and `\x` is `x`.
public enum JavaProperties {
    /// One logical line.
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var value: String
        /// 1-based natural line where the entry starts.
        public var line: Int

        public init(key: String, value: String, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// One comment line (kept so that CTP's disabled `#set.` entries can be shown).
    public struct Comment: Equatable, Sendable {
        public var text: String
        public var line: Int
    }

    /// The entries and comment lines of `text`, in order.
    public static func read(_ text: String) -> (entries: [Entry], comments: [Comment]) {
        let lines = naturalLines(text)
        var entries: [Entry] = []
        var comments: [Comment] = []
        var index = 0
        while index < lines.count {
            let start = index
            var logical = dropLeadingBlanks(lines[index])
            index += 1
            if logical.isEmpty { continue }
            if logical.first == "#" || logical.first == "!" {
                comments.append(Comment(text: String(logical), line: start + 1))
                continue
            }
            while endsWithOddBackslashes(logical) {
                logical.removeLast()
                guard index < lines.count else { break }
                logical += dropLeadingBlanks(lines[index])
                index += 1
            }
            let (key, value) = split(logical)
            entries.append(Entry(key: unescape(key), value: unescape(value), line: start + 1))
        }
        return (entries, comments)
    }

    /// The entries of `text` as `Properties` holds them: the last value of a repeated key wins.
    public static func dictionary(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for entry in read(text).entries { values[entry.key] = entry.value }
        return values
    }

    private static func naturalLines(_ text: String) -> [[Character]] {
        // Swift treats "\r\n" as one Character, so splitting on newline characters covers all three endings.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .map(Array.init)
    }

    private static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }

    private static func dropLeadingBlanks(_ line: [Character]) -> [Character] {
        Array(line.drop(while: isBlank))
    }

    private static func endsWithOddBackslashes(_ line: [Character]) -> Bool {
        line.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1
    }

    /// Key and value, both still escaped.
    private static func split(_ line: [Character]) -> ([Character], [Character]) {
        var keyEnd = 0
        var escaped = false
        var separatorIsEqualsOrColon = false
        while keyEnd < line.count {
            let c = line[keyEnd]
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "=" || c == ":" {
                separatorIsEqualsOrColon = true
                break
            } else if isBlank(c) {
                break
            }
            keyEnd += 1
        }
        var valueStart = keyEnd + (separatorIsEqualsOrColon ? 1 : 0)
        while valueStart < line.count, isBlank(line[valueStart]) { valueStart += 1 }
        if !separatorIsEqualsOrColon, valueStart < line.count, line[valueStart] == "=" || line[valueStart] == ":" {
            valueStart += 1
            while valueStart < line.count, isBlank(line[valueStart]) { valueStart += 1 }
        }
        return (Array(line[..<keyEnd]), valueStart < line.count ? Array(line[valueStart...]) : [])
    }

    private static func unescape(_ chars: [Character]) -> String {
        var out = ""
        var index = 0
        while index < chars.count {
            let c = chars[index]
            index += 1
            guard c == "\\", index < chars.count else {
                if c != "\\" { out.append(c) }
                continue
            }
            let next = chars[index]
            index += 1
            switch next {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "f": out.append("\u{0C}")
            case "u":
                let hex = String(chars[index..<min(index + 4, chars.count)])
                if hex.count == 4, let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                    out.unicodeScalars.append(scalar)
                    index += 4
                } else {
                    out.append("u")  // Java throws on a malformed \u; keep the text rather than fail
                }
            default: out.append(next)
            }
        }
        return out
    }
}
