/// One JSON object on one line, written field by field by hand: what every audit record costs is a byte copy
/// per field, not an encoder. Fields are added in the order they appear; a nil value adds nothing.
///
/// The line is built as UTF-8 bytes: appending to a `String` piece by piece cost about 350 instructions per
/// append, and a re-identification record lists every restored tag (some 140 values, 0.3 M instructions per
/// file); a byte append is a copy.
public struct JSONLine: Sendable {
    private var bytes: [UInt8]
    private var empty = true

    public init() {
        bytes = []
        bytes.reserveCapacity(1024)
        bytes.append(UInt8(ascii: "{"))
    }

    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        start(key)
        Self.quote(value, into: &bytes)
    }

    public mutating func add(_ key: String, _ value: Int?) {
        guard let value else { return }
        start(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// An array of strings.
    public mutating func add(_ key: String, _ values: [String]?) {
        guard let values else { return }
        start(key)
        bytes.append(UInt8(ascii: "["))
        for (n, value) in values.enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.quote(value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object of counts, its keys in sorted order.
    public mutating func add(_ key: String, _ counts: [String: Int]?) {
        guard let counts else { return }
        start(key)
        bytes.append(UInt8(ascii: "{"))
        for (n, name) in counts.keys.sorted().enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.quote(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: String(counts[name] ?? 0).utf8)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The line, with its newline.
    public var line: String {
        var line = bytes
        line.append(UInt8(ascii: "}"))
        line.append(UInt8(ascii: "\n"))
        return String(decoding: line, as: UTF8.self)
    }

    private mutating func start(_ key: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        Self.quote(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// `value` as a JSON string, in UTF-8: quotes, backslashes and control characters escaped, everything else
    /// as is. Bytes of multi-byte UTF-8 sequences are all 0x80 or more, so a byte test finds every character
    /// that needs an escape; the runs between escapes are copied whole (most values, UIDs, tags and paths,
    /// are one run).
    static func quote(_ value: String, into bytes: inout [UInt8]) {
        var value = value
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { utf8 in
            var run = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
                escape(byte, into: &bytes)
                run = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The JSON escape of a quote, a backslash or a control character.
    private static func escape(_ byte: UInt8, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: bytes.append(byte)   // a quote or a backslash
        }
    }
}
