import DICOMCore

/// A tag with wildcard hex digits, such as `(50xx,xxxx)` or `(0018,xxxx)`: a tag matches when its group and
/// element equal the pattern's under the masks.
public struct TagPattern: Hashable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16
    public let groupMask: UInt16
    public let elementMask: UInt16

    public init(group: UInt16, element: UInt16, groupMask: UInt16, elementMask: UInt16) {
        self.group = group & groupMask
        self.element = element & elementMask
        self.groupMask = groupMask
        self.elementMask = elementMask
    }

    /// Parses `(gggg,eeee)` where any hex digit may be `x` (any digit); nil when the text is not of that form.
    public init?(_ text: Substring) {
        var body = text.trimmingASCIISpaces()
        guard body.first == "(", body.last == ")" else { return nil }
        body = body.dropFirst().dropLast()
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let g = Self.masked(parts[0].trimmingASCIISpaces()),
              let e = Self.masked(parts[1].trimmingASCIISpaces()) else { return nil }
        self.init(group: g.value, element: e.value, groupMask: g.mask, elementMask: e.mask)
    }

    /// Four hex digits, `x` for any: the value and the mask of the fixed digits.
    private static func masked(_ digits: Substring) -> (value: UInt16, mask: UInt16)? {
        guard digits.utf8.count == 4 else { return nil }
        var value: UInt16 = 0, mask: UInt16 = 0
        for byte in digits.utf8 {
            value <<= 4
            mask <<= 4
            if byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") { continue }
            guard let digit = HexDigit.value(byte) else { return nil }
            value |= UInt16(digit)
            mask |= 0xF
        }
        return (value, mask)
    }

    /// Whether `tag` matches.
    public func matches(_ tag: Tag) -> Bool {
        tag.group & groupMask == group && tag.element & elementMask == element
    }

    /// Whether the pattern has no wildcard: it names exactly one tag.
    public var isExact: Bool { groupMask == 0xFFFF && elementMask == 0xFFFF }

    public var description: String {
        func text(_ value: UInt16, _ mask: UInt16) -> String {
            var out = ""
            for shift in stride(from: 12, through: 0, by: -4) {
                let m = (mask >> UInt16(shift)) & 0xF
                out += m == 0 ? "x" : String((value >> UInt16(shift)) & 0xF, radix: 16, uppercase: true)
            }
            return out
        }
        return "(\(text(group, groupMask)),\(text(element, elementMask)))"
    }
}

/// Hex digit values for the small parsers of this module.
enum HexDigit {
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A hex number of 1...`maxDigits` digits.
    static func parse(_ text: Substring, maxDigits: Int) -> UInt32? {
        guard !text.isEmpty, text.utf8.count <= maxDigits else { return nil }
        var value: UInt32 = 0
        for byte in text.utf8 {
            guard let digit = HexDigit.value(byte) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

extension Substring {
    /// Without leading and trailing ASCII spaces and tabs.
    func trimmingASCIISpaces() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
