/// A cursor over a PDU's bytes, big endian as PS3.8 9.3 encodes every field; every read checks the bytes left,
/// so no length field can make it slice past its parent or allocate more than the PDU holds.
struct PDUReader {
    private(set) var bytes: ArraySlice<UInt8>
    /// Offset of `bytes` inside the PDU (for messages).
    private let base: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        base = bytes.startIndex
    }

    var offset: Int { bytes.startIndex - base }
    var isAtEnd: Bool { bytes.isEmpty }
    var remaining: Int { bytes.count }

    mutating func readUInt8(_ what: String) throws(NetworkError) -> UInt8 {
        let s = try readSlice(count: 1, what)
        return s[s.startIndex]
    }

    mutating func readUInt16(_ what: String) throws(NetworkError) -> UInt16 {
        let s = try readSlice(count: 2, what)
        return UInt16(s[s.startIndex]) << 8 | UInt16(s[s.startIndex + 1])
    }

    mutating func readUInt32(_ what: String) throws(NetworkError) -> UInt32 {
        let s = try readSlice(count: 4, what)
        var value: UInt32 = 0
        for byte in s { value = value << 8 | UInt32(byte) }
        return value
    }

    mutating func skip(_ count: Int, _ what: String) throws(NetworkError) {
        _ = try readSlice(count: count, what)
    }

    /// The next `count` bytes; the reader does not move on failure.
    mutating func readSlice(count: Int, _ what: String) throws(NetworkError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count else {
            throw NetworkError(.malformedPDU, "\(what): need \(count) bytes, \(bytes.count) left", offset: offset)
        }
        let slice = bytes.prefix(count)
        bytes = bytes.dropFirst(count)
        return slice
    }

    /// A UID or AE title field as text: trailing NUL and space padding removed (peers pad either way).
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == 0 || bytes[end - 1] == 0x20 { end -= 1 }
        var start = bytes.startIndex
        while start < end, bytes[start] == 0x20 { start += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// Appends big-endian fields (PS3.8 9.3).
struct PDUWriter {
    private(set) var bytes: [UInt8] = []

    mutating func uint8(_ value: UInt8) { bytes.append(value) }
    mutating func uint16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
    mutating func zeros(_ count: Int) { bytes += repeatElement(0, count: count) }
    mutating func append<C: Collection>(_ more: C) where C.Element == UInt8 { bytes += more }

    /// An AE title field: 16 bytes, space padded (PS3.8 9.3.2).
    mutating func aeTitle(_ title: String) {
        let utf8 = Array(title.utf8.prefix(16))
        bytes += utf8 + repeatElement(0x20, count: 16 - utf8.count)
    }

    /// An item: type, reserved byte, 16-bit length, then the value (PS3.8 9.3.2.x sub-items).
    mutating func item(_ type: UInt8, _ value: [UInt8]) {
        uint8(type)
        uint8(0)
        uint16(UInt16(clamping: value.count))
        bytes += value
    }
}
