/// A minimal reader of DER TLVs (X.690 8.1), enough to reach the few fields OpenSSL has no getter for:
/// the content-encryption algorithm of EnvelopedData and the RSAES-OAEP parameters.
///
/// Only low tag numbers (< 31) and definite lengths up to 4 bytes; anything else reads as `nil`. It reads DER that
/// OpenSSL produced itself (`i2d_*`), or input OpenSSL has already parsed, where a `nil` means "re-encode first".
struct DERReader {
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>
        /// Tag, length and content, as encoded.
        var encoded: ArraySlice<UInt8>
    }

    static let sequence: UInt8 = 0x30
    static let set: UInt8 = 0x31
    static let objectIdentifier: UInt8 = 0x06
    static let integer: UInt8 = 0x02
    static func contextConstructed(_ number: UInt8) -> UInt8 { 0xA0 | number }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    /// The next element, or nil (without moving) when the bytes left are not a complete TLV.
    mutating func read() -> Element? {
        var cursor = bytes.startIndex
        guard cursor < bytes.endIndex else { return nil }
        let tag = bytes[cursor]
        guard tag & 0x1F != 0x1F else { return nil }
        cursor += 1
        guard cursor < bytes.endIndex else { return nil }
        let first = bytes[cursor]
        cursor += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard (1...4).contains(count), bytes.endIndex - cursor >= count else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
        }
        guard bytes.endIndex - cursor >= length else { return nil }
        let element = Element(tag: tag, content: bytes[cursor..<cursor + length],
                              encoded: bytes[bytes.startIndex..<cursor + length])
        bytes = bytes[(cursor + length)...]
        return element
    }

    /// The next element if it has `tag`; nil (without moving) otherwise.
    mutating func read(tag: UInt8) -> Element? {
        var copy = self
        guard let element = copy.read(), element.tag == tag else { return nil }
        self = copy
        return element
    }

    /// Dotted decimal form of an OBJECT IDENTIFIER's content octets (X.690 8.19), nil when malformed.
    ///
    /// Written straight into a stack buffer, as this runs for every algorithm of every envelope inspected. A
    /// subidentifier of k octets is below 2^7k, so it takes at most 4k characters with its dot (k = 1: ".127"),
    /// plus one for the first, which holds two arcs ("2.47").
    static func dottedOID(_ content: ArraySlice<UInt8>) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: content.count * 4 + 1) { text -> String? in
            var count = 0
            var value: UInt64 = 0
            var pending = false
            for byte in content {
                guard value >> 57 == 0 else { return nil }   // would overflow
                if !pending && byte == 0x80 { return nil }    // non-minimal encoding
                value = value << 7 | UInt64(byte & 0x7F)
                pending = byte & 0x80 != 0
                guard !pending else { continue }
                if count == 0 {
                    // The first subidentifier holds two arcs (X.690 8.19.4).
                    guard write(value < 80 ? value / 40 : 2, into: text, at: &count) else { return nil }
                    guard write(value < 80 ? value % 40 : value - 80, into: text, at: &count, dot: true) else { return nil }
                } else {
                    guard write(value, into: text, at: &count, dot: true) else { return nil }
                }
                value = 0
            }
            guard !pending, count > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: text[..<count]), as: UTF8.self)
        }
    }

    /// Writes `value` in decimal (after a dot if asked) at `count`; false if it would not fit (it always does).
    private static func write(_ value: UInt64, into text: UnsafeMutableBufferPointer<UInt8>, at count: inout Int,
                              dot: Bool = false) -> Bool {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let end = count + (dot ? 1 : 0) + digits
        guard end <= text.count else { return false }
        if dot { text[count] = UInt8(ascii: ".") }
        var rest = value
        for index in stride(from: end - 1, through: end - digits, by: -1) {
            text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count = end
        return true
    }
}
