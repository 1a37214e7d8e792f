/// Parses element script text into a ``CTPExpression``, splitting text, calls, arguments and clauses the
/// way CTP's `DICOMAnonymizer.makeReplacement` and `FnCall` do.
///
/// Where CTP silently drops the rest of a script (a `@` without `(`, an unclosed call or clause), this
/// parser refuses the script instead.
enum CTPExpressionParser {
    /// Deepest `{...}` clause nesting a script may have (CTP's own profiles use two).
    static let maximumClauseDepth = 32

    /// Parses one script.
    /// - Throws: ``CTPScriptError`` with code ``CTPScriptError/Code/syntax``, not yet located in a file.
    static func parse(_ text: String) throws(CTPScriptError) -> CTPExpression {
        // Clauses are parsed (and later evaluated) recursively: refuse nesting no script needs before it can
        // exhaust the stack.
        var depth = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{") {
                depth += 1
                if depth > maximumClauseDepth { throw syntax("clauses nested deeper than \(maximumClauseDepth) levels") }
            } else if byte == UInt8(ascii: "}") {
                depth = max(0, depth - 1)
            }
        }
        let chars = Array(text)
        var segments: [CTPExpression.Segment] = []
        var buffer = ""
        var index = 0
        var escaped = false
        while index < chars.count {
            let c = chars[index]
            index += 1
            if escaped {
                buffer.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "@" {
                if !buffer.isEmpty { segments.append(.text(buffer)) }
                buffer = ""
                let (call, end) = try parseCall(chars, from: index)
                segments.append(.call(call))
                index = end
            } else {
                buffer.append(c)
            }
        }
        if !buffer.isEmpty { segments.append(.text(buffer)) }
        return CTPExpression(segments: segments)
    }

    /// Parses `name(args){clauses}` starting just after the `@`; returns the call and the index after it.
    private static func parseCall(_ chars: [Character], from start: Int) throws(CTPScriptError) -> (CTPFunctionCall, Int) {
        guard let open = chars[start...].firstIndex(of: "(") else {
            throw syntax("'@' without '(' in \"@\(String(chars[start...]))\"")
        }
        let name = String(chars[start..<open].filter { !$0.isWhitespace })
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw syntax("bad function name \"@\(String(chars[start..<open]))\"")
        }
        var cursor = open + 1
        var arguments: [CTPArgument] = []
        while let argument = nextArgument(chars, &cursor) { arguments.append(CTPArgument(raw: argument)) }
        guard cursor < chars.count else { throw syntax("missing ')' after \"@\(name)(\"") }
        cursor += 1
        var clauses: [CTPExpression] = []
        switch name {
        case "if", "select":
            guard let then = try nextClause(chars, &cursor) else { throw syntax("@\(name) needs a {then} clause") }
            clauses.append(then)
            if let otherwise = try nextClause(chars, &cursor) {
                clauses.append(otherwise)
            } else if chars[cursor...].allSatisfy(\.isWhitespace) {
                clauses.append(CTPExpression(segments: []))
                cursor = chars.count
            } else {
                throw syntax("@\(name) needs an {else} clause before further text")
            }
        case "append":
            guard let clause = try nextClause(chars, &cursor) else { throw syntax("@append needs a {text} clause") }
            clauses.append(clause)
        default:
            break
        }
        return (CTPFunctionCall(name: name, arguments: arguments, clauses: clauses), cursor)
    }

    /// One argument, ending before `,` or `)` outside quotes, brackets and parentheses (CTP `FnCall.getArg`):
    /// nil at `)` or when the text runs out. An escaped character still opens or closes quotes and brackets,
    /// as in CTP.
    private static func nextArgument(_ chars: [Character], _ cursor: inout Int) -> String? {
        while cursor < chars.count, chars[cursor].isWhitespace { cursor += 1 }
        guard cursor < chars.count, chars[cursor] != ")" else { return nil }
        var argument = ""
        var inEscape = false, inQuote = false, inBracket = false, inParen = false
        var bracketCount = 0, parenCount = 0
        var c: Character = " "
        while cursor < chars.count {
            c = chars[cursor]
            if !inEscape, !inQuote, !inBracket, !inParen, c == "," || c == ")" { break }
            if !inEscape, c == "\\" {
                inEscape = true
            } else {
                argument.append(c)
                if c == "\"" { inQuote.toggle() }
                if !inQuote {
                    if c == "[" {
                        inBracket = true
                        bracketCount += 1
                    } else if inBracket, c == "]" {
                        bracketCount -= 1
                        if bracketCount == 0 { inBracket = false }
                    } else if c == "(" {
                        inParen = true
                        parenCount += 1
                    } else if inParen, c == ")" {
                        parenCount -= 1
                        if parenCount == 0 { inParen = false }
                    }
                }
                inEscape = false
            }
            cursor += 1
        }
        guard cursor < chars.count else { return nil }
        if c == "," { cursor += 1 }
        return argument.trimmingWhitespace()
    }

    /// A `{...}` clause with nested braces counted (CTP `FnCall.getClause`), parsed; nil if the next
    /// non-blank character is not `{`. Leaves the cursor after the closing brace.
    private static func nextClause(_ chars: [Character], _ cursor: inout Int) throws(CTPScriptError) -> CTPExpression? {
        var index = cursor
        while index < chars.count, chars[index].isWhitespace { index += 1 }
        guard index < chars.count, chars[index] == "{" else { return nil }
        index += 1
        let start = index
        var depth = 1
        while index < chars.count {
            if chars[index] == "{" { depth += 1 }
            if chars[index] == "}" { depth -= 1 }
            if depth == 0 { break }
            index += 1
        }
        guard index < chars.count else { throw syntax("missing '}' in \"\(String(chars[(start - 1)...]))\"") }
        let clause = try parse(String(chars[start..<index]).trimmingWhitespace())
        cursor = index + 1
        return clause
    }

    private static func syntax(_ reason: String) -> CTPScriptError { CTPScriptError(.syntax, reason: reason) }
}
