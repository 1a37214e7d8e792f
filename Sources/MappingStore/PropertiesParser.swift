/// Java's `Properties.load(Reader)` grammar, which CTP's lookup tables are written in.
enum PropertiesParser {
    /// The key/value pairs of `text`; a repeated key keeps its last value, as in Java.
    static func parse(_ text: String) -> [String: String] {
        var entries: [String: String] = [:]
        for line in logicalLines(Array(text.unicodeScalars)) {
            let (key, value) = split(line)
            entries[key] = value
        }
        return entries
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\u{0C}"
    }

    /// Logical lines without comments and blank lines; continuation lines (after an odd number of trailing
    /// backslashes) are joined with their leading white space removed. Escapes are still in place.
    private static func logicalLines(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var continuing = false
        var index = 0
        while index < scalars.count {
            // One natural line.
            var end = index
            while end < scalars.count, scalars[end] != "\n", scalars[end] != "\r" { end += 1 }
            var natural = Array(scalars[index..<end])
            index = end
            if index < scalars.count {   // past the line end: \n, \r or \r\n
                index += 1
                if scalars[index - 1] == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
            }
            let start = natural.firstIndex(where: { !isBlank($0) }) ?? natural.count
            natural.removeFirst(start)
            if !continuing {
                if natural.isEmpty { continue }
                if natural[0] == "#" || natural[0] == "!" { continue }
            }
            var backslashes = 0
            for scalar in natural.reversed() {
                guard scalar == "\\" else { break }
                backslashes += 1
            }
            if backslashes % 2 == 1 {
                natural.removeLast()
                current += natural
                continuing = true
            } else {
                current += natural
                lines.append(current)
                current = []
                continuing = false
            }
        }
        if continuing { lines.append(current) }
        return lines
    }

    /// Splits a logical line at the first unescaped `=`, `:` or white space, then unescapes both parts.
    private static func split(_ line: [Unicode.Scalar]) -> (String, String) {
        var keyEnd = 0
        var escaped = false
        while keyEnd < line.count {
            let scalar = line[keyEnd]
            if escaped {
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "=" || scalar == ":" || isBlank(scalar) {
                break
            }
            keyEnd += 1
        }
        var valueStart = keyEnd
        while valueStart < line.count, isBlank(line[valueStart]) { valueStart += 1 }
        if valueStart < line.count, line[valueStart] == "=" || line[valueStart] == ":" {
            valueStart += 1
            while valueStart < line.count, isBlank(line[valueStart]) { valueStart += 1 }
        }
        return (unescape(line[0..<keyEnd]), unescape(line[valueStart...]))
    }

    /// Java's escapes: `\t \n \r \f`, `\uXXXX`, and `\x` -> `x` for anything else.
    private static func unescape(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var result = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index += 1
            guard scalar == "\\", index < scalars.endIndex else {
                if scalar != "\\" { result.append(scalar) }
                continue
            }
            let escaped = scalars[index]
            index += 1
            switch escaped {
            case "t": result.append("\t")
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "f": result.append("\u{0C}")
            case "u":
                let digits = scalars[index..<min(index + 4, scalars.endIndex)]
                if digits.count == 4, let code = UInt32(String(String.UnicodeScalarView(digits)), radix: 16),
                   let decoded = Unicode.Scalar(code) {
                    result.append(decoded)
                    index += 4
                } else {
                    result.append("u")   // Java throws on a malformed \u; keep the text instead
                }
            default: result.append(escaped)
            }
        }
        return String(result)
    }
}
