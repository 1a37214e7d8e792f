import DICOMCore

/// A cursor over a byte slice whose indices are offsets in the whole buffer.
///
/// Every read checks the bytes left first and throws ``DICOMError/Code/truncated`` without moving.
///
/// The reader keeps the slice it was made from and a position in it, so a read moves an integer rather than
/// re-slicing (which would retain and release the buffer on every field); the reads are inlined into the
/// element loop, and the error paths are kept out of line.
struct ByteReader {
    /// The slice the reader was made from; `offset..<end` is what is left.
    private let base: ArraySlice<UInt8>
    /// The offset of the next byte to read, in the whole buffer.
    private(set) var offset: Int
    /// The end of the bytes this reader may read.
    private let end: Int
    let order: ByteOrder

    init(_ bytes: ArraySlice<UInt8>, order: ByteOrder) {
        self.base = bytes
        self.offset = bytes.startIndex
        self.end = bytes.endIndex
        self.order = order
    }

    /// The bytes left to read.
    var bytes: ArraySlice<UInt8> { base[offset..<end] }
    var remaining: Int {
        @inline(__always) get { end &- offset }
    }
    var isAtEnd: Bool {
        @inline(__always) get { offset == end }
    }

    @inline(__always)
    private func need(_ count: Int) throws(DICOMError) {
        guard remaining >= count else { throw truncated(count) }
    }

    @inline(never)
    private func truncated(_ count: Int) -> DICOMError {
        DICOMError(.truncated, offset: offset, reason: "need \(count) bytes, \(remaining) left")
    }

    /// The byte at `index` of the whole buffer, which the caller has checked is in `offset..<end`.
    @inline(__always)
    private func byte(_ index: Int) -> UInt8 { base[index] }

    @inline(__always)
    private func uint16(at i: Int) -> UInt16 {
        let a = UInt16(byte(i)), b = UInt16(byte(i &+ 1))
        return order == .littleEndian ? a | b << 8 : a << 8 | b
    }

    @inline(__always)
    private func uint32(at i: Int) -> UInt32 {
        let b0 = UInt32(byte(i)), b1 = UInt32(byte(i &+ 1)), b2 = UInt32(byte(i &+ 2)), b3 = UInt32(byte(i &+ 3))
        return order == .littleEndian ? b0 | b1 << 8 | b2 << 16 | b3 << 24 : b0 << 24 | b1 << 16 | b2 << 8 | b3
    }

    @inline(__always)
    func peekUInt16(at delta: Int = 0) -> UInt16? {
        guard delta >= 0, remaining >= delta + 2 else { return nil }
        return uint16(at: offset &+ delta)
    }

    @inline(__always)
    func peekByte(at delta: Int) -> UInt8? {
        guard delta >= 0, remaining > delta else { return nil }
        return byte(offset &+ delta)
    }

    /// Reads `count` bytes as `value(offset)` and moves past them; does not move on failure.
    @inline(__always)
    private mutating func read<Value>(_ count: Int, _ value: (Self, Int) -> Value) throws(DICOMError) -> Value {
        try need(count)
        let result = value(self, offset)
        offset &+= count
        return result
    }

    @inline(__always)
    mutating func readUInt16() throws(DICOMError) -> UInt16 { try read(2) { $0.uint16(at: $1) } }

    @inline(__always)
    mutating func readUInt32() throws(DICOMError) -> UInt32 { try read(4) { $0.uint32(at: $1) } }

    @inline(__always)
    mutating func readTag() throws(DICOMError) -> Tag { try read(4) { Tag($0.uint16(at: $1), $0.uint16(at: $1 &+ 2)) } }

    @inline(__always)
    mutating func readPair() throws(DICOMError) -> (UInt8, UInt8) { try read(2) { ($0.byte($1), $0.byte($1 &+ 1)) } }

    @inline(__always)
    mutating func readSlice(count: Int) throws(DICOMError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw lengthExceedsParent(count) }
        let start = offset
        offset &+= count
        return base[start..<offset]
    }

    @inline(never)
    private func lengthExceedsParent(_ count: Int) -> DICOMError {
        DICOMError(.lengthExceedsParent, offset: offset, reason: "value of \(count) bytes, only \(remaining) left")
    }
}
