/// Reads JSON (RFC 8259) from UTF-8 bytes value by value, for the many small objects of scale-out — the plan's
/// inputs and the records of the parts' audit logs — whose few fields are read straight into their types.
///
/// Why not `JSONDecoder`: at 5,000 inputs decoding the plan and the logs with it was most of the merge's CPU
/// (a generic keyed container per object, a `String` per key); this reads a key as bytes and compares it, and
/// skips what it does not need. It reads the whole grammar (escapes, surrogate pairs, nested values) and
/// refuses what `JSONDecoder` refuses: an unterminated value, a control character in a string, trailing bytes.
struct JSONScanner {
    /// Why the bytes are not the JSON expected: the offset and what was found.
    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "\(reason) at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private(set) var index: Int
    private let end: Int

    /// A scanner of `bytes[range]`.
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        index = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    /// Deeper nesting than this in a skipped value is refused (no value read here nests more than twice).
    static let maximumDepth = 64

    // MARK: Structure

    /// Reads an object, calling `member` with each key (its unescaped UTF-8 bytes) and the scanner placed on
    /// its value; `member` must read or skip that value.
    mutating func object(_ member: (ArraySlice<UInt8>, inout JSONScanner) throws(Malformed) -> Void) throws(Malformed) {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            let key = try stringBytes()
            try expect(UInt8(ascii: ":"))
            try member(key, &self)
            guard try next() == UInt8(ascii: ",") else {
                index -= 1
                try expect(UInt8(ascii: "}"))
                return
            }
        }
    }

    /// Reads an array, calling `element` with the scanner placed on each element; `element` must read or skip it.
    mutating func array(_ element: (inout JSONScanner) throws(Malformed) -> Void) throws(Malformed) {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            try element(&self)
            guard try next() == UInt8(ascii: ",") else {
                index -= 1
                try expect(UInt8(ascii: "]"))
                return
            }
        }
    }

    /// Refuses anything but white space after the value read.
    func expectEnd() throws(Malformed) {
        var scanner = self
        scanner.skipWhitespace()
        guard scanner.index == end else { throw Malformed(offset: scanner.index, reason: "bytes after the JSON value") }
    }

    // MARK: Values

    /// A string value.
    mutating func string() throws(Malformed) -> String {
        String(decoding: try stringBytes(), as: UTF8.self)
    }

    /// A string value, or nil for `null`.
    mutating func optionalString() throws(Malformed) -> String? {
        try readNull() ? nil : try string()
    }

    /// `true` or `false`.
    mutating func bool() throws(Malformed) -> Bool {
        if try literal("true") { return true }
        if try literal("false") { return false }
        throw Malformed(offset: index, reason: "expected true or false")
    }

    /// `true`, `false` or nil for `null`.
    mutating func optionalBool() throws(Malformed) -> Bool? {
        try readNull() ? nil : try bool()
    }

    /// An integer that fits in 64 bits, written without fraction or exponent.
    mutating func integer() throws(Malformed) -> Int64 {
        skipWhitespace()
        let start = index
        let negative = index < end && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value: Int64 = 0
        let digits = index
        while index < end, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times10.subtractingReportingOverflow(Int64(digit))
                                            : times10.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw Malformed(offset: start, reason: "integer out of range") }
            value = sum
            index += 1
        }
        guard index > digits, index - digits == 1 || bytes[digits] != UInt8(ascii: "0") else {
            throw Malformed(offset: start, reason: "expected an integer")
        }
        if index < end, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw Malformed(offset: start, reason: "expected an integer")
        }
        return value
    }

    /// An integer that fits in an `Int`.
    mutating func int() throws(Malformed) -> Int {
        let start = index
        guard let value = Int(exactly: try integer()) else { throw Malformed(offset: start, reason: "integer out of range") }
        return value
    }

    /// Reads `null` if it is next.
    mutating func readNull() throws(Malformed) -> Bool { try literal("null") }

    /// Skips one value of any kind, checking its grammar.
    mutating func skipValue(depth: Int = 0) throws(Malformed) {
        guard depth < Self.maximumDepth else { throw Malformed(offset: index, reason: "nested too deeply") }
        switch try peek() {
        case UInt8(ascii: "{"): try object { _, scanner throws(Malformed) in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array { scanner throws(Malformed) in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try stringBytes()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"):
            guard try readNull() else { throw Malformed(offset: index, reason: "expected null") }
        default: try skipNumber()
        }
    }

    // MARK: Pieces

    /// The next byte after white space, not consumed.
    private mutating func peek() throws(Malformed) -> UInt8 {
        skipWhitespace()
        guard index < end else { throw Malformed(offset: index, reason: "unexpected end") }
        return bytes[index]
    }

    /// The next byte after white space, consumed.
    private mutating func next() throws(Malformed) -> UInt8 {
        let byte = try peek()
        index += 1
        return byte
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard try next() == byte else {
            throw Malformed(offset: index - 1, reason: "expected \(Character(Unicode.Scalar(byte)))")
        }
    }

    private mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    /// Reads `word` if it is next (after white space).
    private mutating func literal(_ word: StaticString) throws(Malformed) -> Bool {
        guard try peek() == word.utf8Start.pointee else { return false }
        let count = word.utf8CodeUnitCount
        guard end - index >= count else { throw Malformed(offset: index, reason: "unexpected end") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw Malformed(offset: index, reason: "expected \(word)")
        }
        index += count
        return true
    }

    /// A number, by the grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() throws(Malformed) {
        let start = index
        func digits(_ scanner: inout JSONScanner) -> Int {
            let first = scanner.index
            while scanner.index < scanner.end, scanner.bytes[scanner.index] &- UInt8(ascii: "0") < 10 { scanner.index += 1 }
            return scanner.index - first
        }
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits(&self)
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw Malformed(offset: start, reason: "expected a value")
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw Malformed(offset: start, reason: "malformed number") }
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw Malformed(offset: start, reason: "malformed number") }
        }
    }

    /// A string's UTF-8 bytes, unescaped: a slice of the input when it holds no escape (the usual case).
    private mutating func stringBytes() throws(Malformed) -> ArraySlice<UInt8> {
        try expect(UInt8(ascii: "\""))
        let start = index, end = self.end
        // The bytes that end the plain run, found without a bounds check per byte (most of a log is strings).
        index = bytes.withUnsafeBufferPointer { buffer in
            var at = start
            while at < end, case let byte = buffer[at], byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { at += 1 }
            return at
        }
        guard index < end else { throw Malformed(offset: start - 1, reason: "unterminated string") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index += 1
            return bytes[start..<index - 1]
        case UInt8(ascii: "\\"): return try escapedString(from: start)
        default: throw Malformed(offset: index, reason: "control character in a string")
        }
    }

    /// The rest of a string holding escapes, from `start` (after the opening quote); `index` is at a backslash.
    private mutating func escapedString(from start: Int) throws(Malformed) -> ArraySlice<UInt8> {
        var unescaped = Array(bytes[start..<index])
        while index < end {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return unescaped[...]
            case UInt8(ascii: "\\"):
                guard index < end else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
                case UInt8(ascii: "b"): unescaped.append(0x08)
                case UInt8(ascii: "f"): unescaped.append(0x0C)
                case UInt8(ascii: "n"): unescaped.append(0x0A)
                case UInt8(ascii: "r"): unescaped.append(0x0D)
                case UInt8(ascii: "t"): unescaped.append(0x09)
                case UInt8(ascii: "u"): unescaped += try unicodeEscape()
                default: throw Malformed(offset: index - 2, reason: "unknown escape in a string")
                }
            case 0..<0x20: throw Malformed(offset: index - 1, reason: "control character in a string")
            default: unescaped.append(byte)
            }
        }
        throw Malformed(offset: start - 1, reason: "unterminated string")
    }

    /// The UTF-8 of `\uXXXX` (after the `u`), with the low half of a surrogate pair when one follows.
    private mutating func unicodeEscape() throws(Malformed) -> [UInt8] {
        let at = index - 2
        var value = try hex4()
        if (0xD800..<0xDC00).contains(value) {
            guard end - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw Malformed(offset: at, reason: "unpaired surrogate in a string")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw Malformed(offset: at, reason: "unpaired surrogate in a string") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(value) {
            throw Malformed(offset: at, reason: "unpaired surrogate in a string")
        }
        guard let scalar = Unicode.Scalar(value) else { throw Malformed(offset: at, reason: "invalid escape in a string") }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws(Malformed) -> UInt32 {
        guard end - index >= 4 else { throw Malformed(offset: index, reason: "unterminated string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Malformed(offset: index, reason: "invalid escape in a string")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

extension ArraySlice<UInt8> {
    /// Whether these bytes are the UTF-8 of `key` (a JSON key compared without making a `String`).
    func isKey(_ key: StaticString) -> Bool {
        count == key.utf8CodeUnitCount && elementsEqual(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }
}
