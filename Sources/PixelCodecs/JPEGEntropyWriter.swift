/// Writes entropy-coded data: bits first-highest into bytes, with a 00 stuffed after every FF
/// (ISO/IEC 10918-1 F.1.2.3), and marker segments between them.
struct JPEGEntropyWriter {
    /// The bytes written are `storage[0..<count]`; the rest is room to write into.
    private var storage: [UInt8]
    private var count = 0
    /// Bits not yet making a whole byte: the low `pendingCount` (0...7) bits.
    private var pending: UInt64 = 0
    private var pendingCount = 0

    init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: max(capacity, 64))
    }

    /// Everything written; the bits written must end on a byte.
    var bytes: [UInt8] {
        precondition(pendingCount == 0, "entropy-coded data not padded to a byte")
        return Array(storage[0..<count])
    }

    private mutating func reserve(_ more: Int) {
        if storage.count - count < more { storage += [UInt8](repeating: 0, count: max(more, storage.count)) }
    }

    /// Appends `bits` (0...32 of them): the low bits of `value`.
    mutating func write(_ value: UInt32, _ bits: Int) {
        reserve(8)
        var pending = pending &<< UInt64(bits) | UInt64(value) & ((1 &<< UInt64(bits)) &- 1), pendingCount = pendingCount + bits
        var written = count
        storage.withUnsafeMutableBufferPointer { out in
            while pendingCount >= 8 {
                pendingCount -= 8
                Self.put(UInt8(truncatingIfNeeded: pending &>> UInt64(pendingCount)), out.baseAddress!, &written)
            }
        }
        pending &= (1 &<< UInt64(pendingCount)) &- 1
        (self.pending, self.pendingCount, count) = (pending, pendingCount, written)
    }

    /// Stores `byte` at `written`, and a stuffed 00 after it when it is FF.
    @inline(__always)
    private static func put(_ byte: UInt8, _ base: UnsafeMutablePointer<UInt8>, _ written: inout Int) {
        base[written] = byte
        written += 1
        if byte == 0xFF {
            base[written] = 0
            written += 1
        }
    }

    /// Appends the bits `range` of `reader`'s data, 32 at a time: four bytes stored at once unless one is FF.
    mutating func copy(_ range: Range<Int>, from reader: JPEGEntropyReader) {
        guard !range.isEmpty else { return }
        reserve(range.count / 4 + 16)
        var at = range.lowerBound, written = count, pending = pending
        let shift = UInt64(pendingCount)
        storage.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            while range.upperBound - at >= 32 {
                let combined = pending &<< 32 | UInt64(reader.bits(at: at, 32))
                let word = UInt32(truncatingIfNeeded: combined &>> shift)
                pending = combined & ((1 &<< shift) &- 1)
                at += 32
                let inverted = ~word
                if (inverted &- 0x0101_0101) & ~inverted & 0x8080_8080 == 0 {
                    UnsafeMutableRawPointer(base + written).storeBytes(of: word.bigEndian, as: UInt32.self)
                    written += 4
                } else {
                    for byteShift in stride(from: 24, through: 0, by: -8) {
                        Self.put(UInt8(truncatingIfNeeded: word &>> UInt32(byteShift)), base, &written)
                    }
                }
            }
        }
        count = written
        self.pending = pending
        if at < range.upperBound { write(reader.bits(at: at, range.upperBound - at), range.upperBound - at) }
    }

    /// Ends the entropy-coded data: fills the last byte with 1 bits (F.1.2.3).
    mutating func padToByte() {
        if pendingCount > 0 { write(UInt32.max, 8 - pendingCount) }
    }

    /// Appends bytes as they are (markers, marker segments, entropy-coded data copied whole); the bits written
    /// before must end on a byte.
    mutating func append(_ raw: Slice<UnsafeBufferPointer<UInt8>>) {
        precondition(pendingCount == 0, "bytes appended in the middle of a byte")
        reserve(raw.count)
        let start = count
        storage.withUnsafeMutableBufferPointer { out in
            _ = UnsafeMutableBufferPointer(rebasing: out[start..<(start + raw.count)]).initialize(from: raw)
        }
        count += raw.count
    }

    /// Appends bytes as they are; the bits written before must end on a byte.
    mutating func append(_ raw: [UInt8]) {
        raw.withUnsafeBufferPointer { append($0[...]) }
    }

    /// Appends a marker (FF and its code) as bytes.
    mutating func append(marker: UInt8) {
        precondition(pendingCount == 0, "a marker in the middle of a byte")
        reserve(2)
        storage[count] = 0xFF
        storage[count + 1] = marker
        count += 2
    }
}
