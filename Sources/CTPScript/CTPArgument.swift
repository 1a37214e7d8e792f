/// A function argument as written: trimmed, backslash escapes removed, quotes kept.
///
/// What an argument means depends on the function: an element (`this`, `PatientID`, `[0010,0020]`,
/// `(0010,0020)`, a private element named in the script), a parameter reference (`@SITEID`, `$SITEID`) or
/// a literal (`"ptid"`, `64`).
public struct CTPArgument: Hashable, Sendable {
    /// The text, trimmed, escapes removed, quotes kept.
    public var raw: String

    /// Creates an argument.
    public init(raw: String) { self.raw = raw }

    /// The text without one pair of surrounding double quotes.
    public var unquoted: String {
        if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") { return String(raw.dropFirst().dropLast()) }
        return raw
    }

    /// For `@NAME` or `$NAME`: `NAME`.
    public var parameterName: String? {
        guard let first = raw.first, first == "@" || first == "$" else { return nil }
        return String(raw.dropFirst()).trimmingWhitespace()
    }
}

extension String {
    /// The string without leading and trailing white space (spaces, tabs, line ends).
    func trimmingWhitespace() -> String {
        // Most values start and end with a printable ASCII character, which is never white space: no Unicode
        // property look-up then (it showed in profiles, run for every rule of every element).
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
