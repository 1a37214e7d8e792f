import DICOMCore

/// A cursor over a byte slice whose indices are offsets in the whole buffer.
///
/// Every read checks the bytes left first and throws ``DICOMError/Code/truncated`` without moving.
struct ByteReader {
    private(set) var bytes: ArraySlice<UInt8>
    let order: ByteOrder

    init(_ bytes: ArraySlice<UInt8>, order: ByteOrder) {
        self.bytes = bytes
        self.order = order
    }

    var offset: Int { bytes.startIndex }
    var remaining: Int { bytes.count }
    var isAtEnd: Bool { bytes.isEmpty }

    private func need(_ count: Int) throws(DICOMError) {
        guard bytes.count >= count else {
            throw DICOMError(.truncated, offset: offset, reason: "need \(count) bytes, \(bytes.count) left")
        }
    }

    func peekUInt16(at delta: Int = 0) -> UInt16? {
        guard bytes.count >= delta + 2 else { return nil }
        let i = bytes.startIndex + delta
        let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
        return order == .littleEndian ? a | b << 8 : a << 8 | b
    }

    func peekByte(at delta: Int) -> UInt8? {
        guard bytes.count > delta else { return nil }
        return bytes[bytes.startIndex + delta]
    }

    mutating func readUInt16() throws(DICOMError) -> UInt16 {
        try need(2)
        let i = bytes.startIndex
        let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
        bytes = bytes[(i + 2)...]
        return order == .littleEndian ? a | b << 8 : a << 8 | b
    }

    mutating func readUInt32() throws(DICOMError) -> UInt32 {
        try need(4)
        let i = bytes.startIndex
        let b0 = UInt32(bytes[i]), b1 = UInt32(bytes[i + 1]), b2 = UInt32(bytes[i + 2]), b3 = UInt32(bytes[i + 3])
        bytes = bytes[(i + 4)...]
        return order == .littleEndian ? b0 | b1 << 8 | b2 << 16 | b3 << 24 : b0 << 24 | b1 << 16 | b2 << 8 | b3
    }

    mutating func readTag() throws(DICOMError) -> Tag {
        try need(4)
        let group = try readUInt16()
        let element = try readUInt16()
        return Tag(group, element)
    }

    mutating func readPair() throws(DICOMError) -> (UInt8, UInt8) {
        try need(2)
        let i = bytes.startIndex
        let pair = (bytes[i], bytes[i + 1])
        bytes = bytes[(i + 2)...]
        return pair
    }

    mutating func readSlice(count: Int) throws(DICOMError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count >= count else {
            throw DICOMError(.lengthExceedsParent, offset: offset,
                             reason: "value of \(count) bytes, only \(bytes.count) left")
        }
        let start = bytes.startIndex
        let slice = bytes[start..<(start + count)]
        bytes = bytes[(start + count)...]
        return slice
    }
}
