/// One JSON object on one line, written field by field by hand: what every audit record costs is a string
/// append per field, not an encoder. Fields are added in the order they appear; a nil value adds nothing.
public struct JSONLine: Sendable {
    private var text = "{"
    private var empty = true

    public init() {}

    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        start(key)
        Self.quote(value, into: &text)
    }

    public mutating func add(_ key: String, _ value: Int?) {
        guard let value else { return }
        start(key)
        text += String(value)
    }

    /// An array of strings.
    public mutating func add(_ key: String, _ values: [String]?) {
        guard let values else { return }
        start(key)
        text += "["
        for (n, value) in values.enumerated() {
            if n > 0 { text += "," }
            Self.quote(value, into: &text)
        }
        text += "]"
    }

    /// An object of counts, its keys in sorted order.
    public mutating func add(_ key: String, _ counts: [String: Int]?) {
        guard let counts else { return }
        start(key)
        text += "{"
        for (n, name) in counts.keys.sorted().enumerated() {
            if n > 0 { text += "," }
            Self.quote(name, into: &text)
            text += ":" + String(counts[name] ?? 0)
        }
        text += "}"
    }

    /// The line, with its newline.
    public var line: String { text + "}\n" }

    private mutating func start(_ key: String) {
        if !empty { text += "," }
        empty = false
        Self.quote(key, into: &text)
        text += ":"
    }

    /// `value` as a JSON string: quotes, backslashes and control characters escaped, everything else as is.
    public static func quote(_ value: String, into text: inout String) {
        // Most values (UIDs, tags, paths) need no escape: one copy. Bytes of multi-byte UTF-8 sequences are all
        // 0x80 or more, so a byte test finds every character that needs one.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            text += "\""
            text += value
            text += "\""
            return
        }
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
