/// The few `java.lang` string and number rules CTP's functions lean on, so results match CTP byte for byte.
///
/// Java strings are UTF-16: `length()`, `substring` and `charAt` count UTF-16 code units, which is why these helpers
/// work on `utf16` views. Swift strings cannot hold a lone surrogate; where Java would split a pair, the text is
/// repaired to U+FFFD on the way back (CTP would write `?`), which only happens on input CTP cannot parse anyway.
enum JavaText {
    /// `String.trim()`: drops leading and trailing code points at or below U+0020 (controls included).
    static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }),
              let last = scalars.lastIndex(where: { $0.value > 0x20 }) else { return "" }
        return String(scalars[first...last])
    }

    /// `\s` in a Java regular expression without `UNICODE_CHARACTER_CLASS`: `[ \t\n\x0B\f\r]`.
    static func isRegexSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: true
        default: false
        }
    }

    /// `"0"..."9"`, what `\d` matches in a Java regular expression.
    static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }

    /// `String.length()`.
    static func length(_ text: String) -> Int { text.utf16.count }

    /// `String.substring(from, to)` on UTF-16 units; `nil` where Java throws.
    static func substring(_ units: [UInt16], _ from: Int, _ to: Int) -> [UInt16]? {
        guard from >= 0, to <= units.count, from <= to else { return nil }
        return Array(units[from..<to])
    }

    static func string(_ units: some Collection<UInt16>) -> String { String(decoding: units, as: UTF16.self) }

    /// `Character.digit(c, 10)`: the value of a Unicode decimal digit (general category Nd), else `nil`.
    static func decimalDigit(_ unit: UInt16) -> Int? {
        if (0x30...0x39).contains(unit) { return Int(unit - 0x30) }
        guard unit >= 0x80, let scalar = Unicode.Scalar(unit), scalar.properties.numericType == .decimal,
              let value = scalar.properties.numericValue else { return nil }
        return Int(value)
    }

    /// `Integer.parseInt(s)`: optional `+` or `-`, then at least one Unicode decimal digit; `nil` where Java throws
    /// `NumberFormatException` (including overflow of a 32-bit int).
    static func parseInt(_ units: [UInt16]) -> Int32? {
        var index = 0
        var negative = false
        if let sign = units.first, sign == 0x2B || sign == 0x2D {
            negative = sign == 0x2D
            index = 1
        }
        guard index < units.count else { return nil }
        var value: Int64 = 0
        while index < units.count {
            guard let digit = decimalDigit(units[index]) else { return nil }
            value = value * 10 + Int64(digit)
            if value > Int64(Int32.max) + 1 { return nil }
            index += 1
        }
        let signed = negative ? -value : value
        return Int32(exactly: signed)
    }

    static func parseInt(_ text: String) -> Int32? { parseInt(Array(text.utf16)) }

    /// `Float.parseFloat(s)`: trimmed, optional sign, then `NaN`, `Infinity`, digits with an optional fraction and
    /// exponent, or a hexadecimal float (`0x1.8p3`, binary exponent required); numbers may end in `f`, `F`, `d` or
    /// `D`.
    static func parseFloat(_ text: String) -> Float? {
        var scalars = Substring(trim(text)).unicodeScalars[...]
        var sign = ""
        if let first = scalars.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            scalars = scalars.dropFirst()
        }
        let body = String(String.UnicodeScalarView(scalars))
        if body == "NaN" { return .nan }
        if body == "Infinity" { return sign == "-" ? -.infinity : .infinity }
        var chars = Array(body.unicodeScalars)
        if let last = chars.last, "fFdD".unicodeScalars.contains(last) { chars.removeLast() }
        if chars.count > 2, chars[0] == "0", chars[1] == "x" || chars[1] == "X" {
            return parseHexFloat(Array(chars[2...]), negative: sign == "-")
        }
        var index = 0
        var mantissaDigits = 0
        while index < chars.count, isASCIIDigit(chars[index]) { index += 1; mantissaDigits += 1 }
        if index < chars.count, chars[index] == "." {
            index += 1
            while index < chars.count, isASCIIDigit(chars[index]) { index += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if index < chars.count, chars[index] == "e" || chars[index] == "E" {
            index += 1
            if index < chars.count, chars[index] == "+" || chars[index] == "-" { index += 1 }
            let exponentStart = index
            while index < chars.count, isASCIIDigit(chars[index]) { index += 1 }
            guard index > exponentStart else { return nil }
        }
        guard index == chars.count else { return nil }
        var literal = String(String.UnicodeScalarView(chars))
        if literal.hasPrefix(".") { literal = "0" + literal }
        return Float(sign + literal)
    }

    /// The part of a Java hexadecimal float after `0x`: hex digits, an optional `.` and fraction (at least one
    /// digit in all), then `p` or `P` and a signed decimal exponent.
    private static func parseHexFloat(_ chars: [Unicode.Scalar], negative: Bool) -> Float? {
        let isHex: (Unicode.Scalar) -> Bool = { $0.properties.isASCIIHexDigit }
        var index = 0
        var digits = 0
        while index < chars.count, isHex(chars[index]) { index += 1; digits += 1 }
        if index < chars.count, chars[index] == "." {
            index += 1
            while index < chars.count, isHex(chars[index]) { index += 1; digits += 1 }
        }
        guard digits > 0, index < chars.count, chars[index] == "p" || chars[index] == "P" else { return nil }
        index += 1
        if index < chars.count, chars[index] == "+" || chars[index] == "-" { index += 1 }
        let exponentStart = index
        while index < chars.count, isASCIIDigit(chars[index]) { index += 1 }
        guard index > exponentStart, index == chars.count else { return nil }
        return Float((negative ? "-0x" : "0x") + String(String.UnicodeScalarView(chars)))
    }

    /// `(int) f`: truncation toward zero, `NaN` to 0, saturating at the `int` range.
    static func intCast(_ value: Float) -> Int32 {
        if value.isNaN { return 0 }
        if value >= 2_147_483_648 { return .max }
        if value <= -2_147_483_648 { return .min }
        return Int32(value.rounded(.towardZero))
    }

    /// `Math.round(float)`: the closest `int`, ties toward positive infinity, `NaN` to 0, saturating.
    static func round(_ value: Float) -> Int32 {
        if value.isNaN { return 0 }
        let floor = value.rounded(.down)
        // value - floor is exact for binary floating point, so the tie test is exact too.
        let nearest = value - floor >= 0.5 ? floor + 1 : floor
        return intCast(nearest)
    }

    /// `String.split("\\\\")` on a DICOM multi-value: trailing empty strings are dropped, as Java's `split` does.
    static func splitValues(_ text: String) -> [String] {
        if text.isEmpty { return [""] }  // no match: Java returns the input itself
        var parts = text.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
        while parts.last?.isEmpty == true { parts.removeLast() }
        return parts
    }
}
