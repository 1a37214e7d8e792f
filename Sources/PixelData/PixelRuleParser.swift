import DICOMCore
import DICOMDictionary

/// Reads CTP DicomPixelAnonymizer scripts (see ``PixelRuleScript``), keeping line numbers for errors.
struct PixelRuleParser {
    let text: [Unicode.Scalar]
    let file: String
    var index = 0
    var line = 1
    /// How deep `!` and parentheses nest at the moment; bounded so that a hostile file cannot exhaust the stack
    /// (found by fuzzing: thousands of `!` in a row). CTP's own scripts nest two or three levels.
    private var depth = 0
    static let maximumDepth = 64

    init(text: [Unicode.Scalar], file: String) {
        self.text = text
        self.file = file
    }

    func fail(_ reason: String, line: Int? = nil) -> PixelDataError {
        PixelDataError(.invalidRules, reason, file: file, line: line ?? self.line)
    }

    var current: Unicode.Scalar? { index < text.count ? text[index] : nil }

    mutating func advance() {
        if current == "\n" { line += 1 }
        index += 1
    }

    // MARK: The file: conditions in braces, rectangles between them.

    mutating func parseScript() throws(PixelDataError) -> [PixelRule] {
        var rules: [PixelRule] = []
        while let c = current {
            if c == "{" {
                rules.append(try parseRule())
            } else if c == "}" {
                throw fail("'}' without '{'")
            } else if c == "(" {
                if let rectangle = try parseRectangle(), !rules.isEmpty {
                    rules[rules.count - 1].rectangles.append(rectangle)
                }
            } else {
                advance()
            }
        }
        return rules
    }

    /// `(x,y,w,h)`, or nil for parenthesised comment text (anything but digits, signs, commas and spaces).
    mutating func parseRectangle() throws(PixelDataError) -> PixelRectangle? {
        let startLine = line
        var end = index + 1
        while end < text.count, text[end] != ")", text[end] != "(", text[end] != "{" { end += 1 }
        let inside = String(String.UnicodeScalarView(text[index + 1..<min(end, text.count)]))
        let looksNumeric = !inside.isEmpty && inside.allSatisfy { "0123456789-+, \t\r\n".contains($0) }
        guard looksNumeric else {
            advance()
            return nil
        }
        guard end < text.count, text[end] == ")" else { throw fail("rectangle '(' without ')'") }
        let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmed(of: " \t\r\n") }
        guard parts.count == 4 else {
            // CTP skips a group that is not four numbers; "(0018,6011)" in prose is a comment.
            advance()
            return nil
        }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 4 else {
            throw fail("rectangle (\(inside.filter { $0 != "\n" })) needs four integers x,y,w,h", line: startLine)
        }
        guard numbers[2] > 0, numbers[3] > 0 else {
            throw fail("rectangle (\(inside)) has a width or height below 1", line: startLine)
        }
        while index <= end { advance() }
        return PixelRectangle(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
    }

    mutating func parseRule() throws(PixelDataError) -> PixelRule {
        let startLine = line
        let start = index + 1
        advance()  // {
        let condition = try parseOr()
        skipSpace()
        guard current == "}" else {
            if current == nil { throw fail("'{' on line \(startLine) is never closed", line: startLine) }
            throw fail("unexpected '\(current.map { String($0) } ?? "")' in condition")
        }
        let source = String(String.UnicodeScalarView(text[start..<index]))
        advance()  // }
        let collapsed = source.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        return PixelRule(condition: condition, rectangles: [], line: startLine, text: collapsed)
    }

    // MARK: Conditions: or := and ('+' and)*; and := unary ('*' unary)*; unary := '!' unary | '(' or ')' | test

    mutating func skipSpace() {
        while let c = current {
            if c == "/", index + 1 < text.count, text[index + 1] == "/" {
                while let d = current, d != "\n" { advance() }
            } else if c == " " || c == "\t" || c == "\n" || c == "\r" {
                advance()
            } else {
                return
            }
        }
    }

    mutating func parseOr() throws(PixelDataError) -> PixelCondition {
        var left = try parseAnd()
        while true {
            skipSpace()
            guard current == "+" else { return left }
            advance()
            left = .or(left, try parseAnd())
        }
    }

    mutating func parseAnd() throws(PixelDataError) -> PixelCondition {
        var left = try parseUnary()
        while true {
            skipSpace()
            guard current == "*" else { return left }
            advance()
            left = .and(left, try parseUnary())
        }
    }

    mutating func parseUnary() throws(PixelDataError) -> PixelCondition {
        skipSpace()
        switch current {
        case "!":
            advance()
            try enterNesting()
            defer { depth -= 1 }
            return .not(try parseUnary())
        case "(":
            advance()
            try enterNesting()
            defer { depth -= 1 }
            let inner = try parseOr()
            skipSpace()
            guard current == ")" else { throw fail("')' expected in condition") }
            advance()
            return inner
        case nil, "}":
            throw fail("condition expected")
        default:
            return try parseTest()
        }
    }

    private mutating func enterNesting() throws(PixelDataError) {
        guard depth < Self.maximumDepth else { throw fail("condition nested more than \(Self.maximumDepth) levels deep") }
        depth += 1
    }

    mutating func parseTest() throws(PixelDataError) -> PixelCondition {
        let tag = try parseElement()
        guard let tag else { return .constant(lastConstant) }
        skipSpace()
        guard current == "." else { throw fail("'.' and a method expected after the element") }
        advance()
        let name = identifier()
        guard let method = PixelCondition.Method(rawValue: name) else {
            throw fail("unknown method '\(name)' (known: \(PixelCondition.Method.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        skipSpace()
        guard current == "(" else { throw fail("'(' expected after \(name)") }
        advance()
        skipSpace()
        guard current == "\"" else { throw fail("a quoted string expected in \(name)(...)") }
        advance()
        var value: [Unicode.Scalar] = []
        while let c = current, c != "\"" {
            value.append(c)
            advance()
        }
        guard current == "\"" else { throw fail("string never closed") }
        advance()
        skipSpace()
        guard current == ")" else { throw fail("')' expected after the string of \(name)") }
        advance()
        let string = String(String.UnicodeScalarView(value))
        if method == .matches || method == .matchesIgnoreCase, PixelCondition.Method.regex(string, ignoringCase: false) == nil {
            throw fail("invalid regular expression \"\(string)\"")
        }
        return .test(element: tag, method: method, value: string)
    }

    private var lastConstant = false

    /// A keyword, `[gggg,eeee]`, or `true`/`false` (then nil, with `lastConstant` set).
    mutating func parseElement() throws(PixelDataError) -> Tag? {
        if current == "[" {
            var inside = ""
            advance()
            while let c = current, c != "]", c != "}" {
                inside.unicodeScalars.append(c)
                advance()
            }
            guard current == "]" else { throw fail("'[' without ']'") }
            advance()
            let parts = inside.split(separator: ",").map { $0.trimmed(of: " ") }
            guard parts.count == 2, parts.allSatisfy({ $0.count == 4 }),
                  let group = UInt16(parts[0], radix: 16), let element = UInt16(parts[1], radix: 16) else {
                throw fail("element [\(inside)] is not [gggg,eeee]")
            }
            return Tag(group, element)
        }
        let name = identifier()
        guard !name.isEmpty else { throw fail("element name expected, found '\(current.map { String($0) } ?? "end")'") }
        if name == "true" || name == "false" {
            lastConstant = name == "true"
            if current == "." { advance() }
            return nil
        }
        guard let tag = DataDictionary.tag(forKeyword: name) else { throw fail("unknown element keyword '\(name)'") }
        return tag
    }

    mutating func identifier() -> String {
        var name = ""
        while let c = current, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" {
            name.unicodeScalars.append(c)
            advance()
        }
        return name
    }
}

extension Substring {
    func trimmed(of set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
