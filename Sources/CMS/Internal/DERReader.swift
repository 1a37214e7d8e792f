/// A minimal reader of DER TLVs (X.690 8.1), enough to reach the few fields OpenSSL has no getter for:
/// the content-encryption algorithm of EnvelopedData and the RSAES-OAEP parameters.
///
/// Only low tag numbers (< 31) and definite lengths up to 4 bytes; anything else reads as `nil`. It is only ever
/// given DER that OpenSSL produced itself (`i2d_*`), so BER input has already been normalised.
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
    static func dottedOID(_ content: ArraySlice<UInt8>) -> String? {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var pending = false
        for byte in content {
            guard value >> 57 == 0 else { return nil }   // would overflow
            if !pending && byte == 0x80 { return nil }    // non-minimal encoding
            value = value << 7 | UInt64(byte & 0x7F)
            pending = byte & 0x80 != 0
            if !pending {
                arcs.append(value)
                value = 0
            }
        }
        guard !pending, let first = arcs.first else { return nil }
        let head: [UInt64] = first < 80 ? [first / 40, first % 40] : [2, first - 80]
        return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }
}
