/// Reads the bits of one restart interval's entropy-coded data, after its stuffed bytes (FF 00) were unstuffed
/// (ISO/IEC 10918-1 F.1.2.3), first bit highest. Valid only inside the `withUnsafeBufferPointer` that gave it
/// its bytes, which must be followed by at least ``JPEGEntropyReader/overrun`` zero bytes: a block is read whole
/// before the reader is checked against its end, so a damaged stream can run that far past it.
struct JPEGEntropyReader {
    /// Zero bytes the buffer must carry after the data: more than one block's longest coding (a DC code and 63
    /// AC codes of at most 16 + 15 bits in a damaged stream, 248 bytes) plus the refill's read ahead.
    static let overrun = 512

    private let bytes: UnsafePointer<UInt8>
    /// Bits of data (without the zero bytes after them).
    let bitCount: Int
    /// The next bits to read, first one highest: `available` of them, then zeros.
    private var buffer: UInt64 = 0
    private var available = 0
    /// The byte the next refill reads from.
    private var next = 0

    init(_ bytes: UnsafePointer<UInt8>, count: Int) {
        self.bytes = bytes
        bitCount = count * 8
    }

    /// The next bit to read.
    var position: Int { next * 8 - available }

    /// The `count` bits (1...32) at `at`, as the low bits of the result.
    @inline(__always)
    func bits(at: Int, _ count: Int) -> UInt32 {
        let word = UnsafeRawPointer(bytes + (at >> 3)).loadUnaligned(as: UInt64.self).bigEndian
        return UInt32(truncatingIfNeeded: (word &<< UInt64(at & 7)) &>> UInt64(64 - count))
    }

    /// Tops the buffer up to 56 bits or more without a branch (F. Giesen's "variant 4" refill): enough for a
    /// Huffman code and the bits after it, 16 + 15 at most.
    @inline(__always)
    private mutating func refill() {
        buffer |= UnsafeRawPointer(bytes + next).loadUnaligned(as: UInt64.self).bigEndian &>> UInt64(available)
        next += (63 - available) >> 3
        available |= 56
    }

    @inline(__always)
    private mutating func consume(_ count: Int) {
        buffer = buffer &<< UInt64(count)
        available -= count
    }

    /// Reads `count` bits (0...15) as the signed value they code (F.2.2.1, EXTEND); follows a ``decode(_:)``,
    /// whose refill left enough bits.
    @inline(__always)
    mutating func receiveExtend(_ count: Int) -> Int {
        if count == 0 { return 0 }
        let value = Int(truncatingIfNeeded: buffer &>> UInt64(64 - count))
        consume(count)
        return value < 1 << (count - 1) ? value - (1 << count) + 1 : value
    }

    /// Decodes one symbol with `table` (a ``JPEGHuffmanTable/decoding`` array), or returns nil when no code of
    /// the table starts here.
    @inline(__always)
    mutating func decode(_ table: UnsafePointer<Int32>) -> Int? {
        refill()
        let (symbol, length) = JPEGHuffmanTable.decode(UInt32(truncatingIfNeeded: buffer &>> 48), table)
        guard length > 0 else { return nil }
        consume(length)
        return symbol
    }

    /// Steps over the 63 AC coefficients of one block (F.2.2.2), several codes at a time through the table's
    /// run table, or returns false when the codes are not this table's or run past the block's 63 coefficients.
    @inline(__always)
    mutating func skipACCoefficients(_ table: UnsafePointer<Int32>) -> Bool {
        var k = 1
        let runs = table + JPEGHuffmanTable.runStart
        while k < 64 {
            refill()
            // Whole symbols in the next 12 bits at once, when they all belong to this block.
            let symbols = Int(runs[Int(truncatingIfNeeded: buffer &>> UInt64(64 - JPEGHuffmanTable.runBits))])
            let covered = (symbols >> 8) & 0xFF
            if symbols != 0 && k + covered < 64 {
                consume(symbols & 0xFF)
                if symbols >= 1 << 16 { return true }  // ends with EOB
                k += covered
                continue
            }
            let (symbol, length) = JPEGHuffmanTable.decode(UInt32(truncatingIfNeeded: buffer &>> 48), table)
            guard length > 0 else { return false }
            let size = symbol & 15, run = symbol >> 4
            consume(length + size)
            if size == 0 {
                if run != 15 { return true }  // EOB
                k += 16  // ZRL
            } else {
                k += run + 1
            }
        }
        return k == 64
    }
}
