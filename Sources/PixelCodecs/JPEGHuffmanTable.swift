/// One Huffman table of a JPEG stream as a DHT marker defines it (ISO/IEC 10918-1 B.2.4.2), for decoding
/// (F.2.2.3, with a 9-bit look-ahead table for the short codes and, for AC tables, a 12-bit table of whole
/// symbol runs to step over) and for encoding (the code of each symbol, C.2).
struct JPEGHuffmanTable {
    /// Codes of at most this many bits are decoded with one look-up.
    static let lookaheadBits = 9

    /// The decoding table, flat so that the decoder reads it through one pointer: at 0, for each 9-bit prefix of
    /// the bit stream, code length << 8 | symbol, or 0 when the code there is longer; at ``maxCodeStart`` + length,
    /// for each code length 10...16 the largest code of that length (-1 when there is none); at
    /// ``offsetStart`` + length, the index in the symbols of a code of that length minus the code; at
    /// ``symbolsStart``, the symbols; at ``runStart``, for an AC table, ``runTable(_:)``.
    let decoding: [Int32]
    static let maxCodeStart = 1 << lookaheadBits
    static let offsetStart = maxCodeStart + 17
    static let symbolsStart = offsetStart + 17
    static let runStart = symbolsStart + 256
    /// The AC run table looks this many bits ahead.
    static let runBits = 12
    /// The size of ``decoding``.
    static let decodingCount = runStart + (1 << runBits)
    /// The code and the code length of each symbol; length 0 when the table has no code for the symbol.
    private let codes: [UInt16]
    private let lengths: [UInt8]

    /// A table from the DHT counts (codes of each length 1...16) and symbols, or the reason it is not a valid
    /// table: more than 256 symbols, fewer symbols than counted, or more codes of a length than fit in it.
    /// `isAC` adds the run table.
    static func make(counts: [Int], values: [UInt8], isAC: Bool) -> Result<JPEGHuffmanTable, JPEGSpliceRefusal> {
        guard counts.count == 16, counts.reduce(0, +) == values.count, values.count <= 256 else {
            return .failure(JPEGSpliceRefusal("a Huffman table's counts do not match its symbols"))
        }
        // A DC symbol is a difference category, 0 to 15 (libjpeg refuses the table otherwise).
        guard isAC || values.allSatisfy({ $0 <= 15 }) else {
            return .failure(JPEGSpliceRefusal("a DC Huffman table with a symbol over 15"))
        }
        var decoding = [Int32](repeating: 0, count: decodingCount)
        var codes = [UInt16](repeating: 0, count: 256), lengths = [UInt8](repeating: 0, count: 256)
        var code = 0, index = 0
        for length in 1...16 {
            decoding[offsetStart + length] = Int32(index - code)
            decoding[maxCodeStart + length] = -1
            for _ in 0..<counts[length - 1] {
                guard code < 1 << length else { return .failure(JPEGSpliceRefusal("a Huffman table has a code of all ones")) }
                let symbol = Int(values[index])
                decoding[symbolsStart + index] = Int32(symbol)
                if lengths[symbol] == 0 { codes[symbol] = UInt16(code); lengths[symbol] = UInt8(length) }
                if length <= lookaheadBits {
                    let shift = lookaheadBits - length
                    for fill in 0..<(1 << shift) { decoding[code << shift | fill] = Int32(length << 8 | symbol) }
                }
                code += 1
                index += 1
            }
            if counts[length - 1] > 0 { decoding[maxCodeStart + length] = Int32(code - 1) }
            // No code may be all ones (C.2): after the codes of a length the next must still fit in it, as
            // libjpeg checks for every length up to the longest.
            if code >= 1 << length && counts[(length - 1)...].contains(where: { $0 > 0 }) {
                return .failure(JPEGSpliceRefusal("a Huffman table has a code of all ones"))
            }
            code <<= 1
        }
        if isAC { runTable(&decoding) }
        return .success(JPEGHuffmanTable(decoding: decoding, codes: codes, lengths: lengths))
    }

    private init(decoding: [Int32], codes: [UInt16], lengths: [UInt8]) {
        self.decoding = decoding
        self.codes = codes
        self.lengths = lengths
    }

    /// Fills the run table of an AC table: for each 12-bit prefix of the bit stream, the AC symbols that lie in
    /// it whole, codes and coefficient bits (F.1.2.2), as a decoder that only steps over them sees them: bits
    /// taken (bits 0-7), coefficients covered (bits 8-15: a run plus one each, 16 for ZRL) and, at bit 16,
    /// whether the last is an end of block (no symbol is counted after one); 0 when not even the first fits.
    /// Coded images spend 5 to 8 bits on most AC symbols, so one look-up steps over two of them.
    private static func runTable(_ decoding: inout [Int32]) {
        for prefix in 0..<(1 << runBits) {
            var taken = 0, covered = 0, endOfBlock = false
            while runBits - taken > 0 {
                let next = (prefix << taken) & ((1 << runBits) - 1)
                let entry = Int(decoding[next >> (runBits - lookaheadBits)])
                let length = entry >> 8, symbol = entry & 0xFF, size = symbol & 15
                guard entry != 0, taken + length + size <= runBits else { break }
                taken += length + size
                if size != 0 {
                    covered += (symbol >> 4) + 1
                } else if symbol >> 4 == 15 {
                    covered += 16
                } else {
                    endOfBlock = true
                    break
                }
            }
            decoding[runStart + prefix] = taken == 0 ? 0 : Int32(taken | covered << 8 | (endOfBlock ? 1 << 16 : 0))
        }
    }

    /// The symbol whose code starts `bits` (the next 16 bits of the stream, first bit highest) and the code's
    /// length, or length 0 when no code of the table at `decoding` (a ``decoding`` array) starts them.
    @inline(__always)
    static func decode(_ bits: UInt32, _ decoding: UnsafePointer<Int32>) -> (symbol: Int, length: Int) {
        let entry = decoding[Int(bits &>> UInt32(16 - lookaheadBits))]
        if entry != 0 { return (Int(entry & 0xFF), Int(entry &>> 8)) }
        for length in (lookaheadBits + 1)...16 {
            let code = Int32(bits &>> UInt32(16 - length))
            if code <= decoding[maxCodeStart + length] { return (Int(decoding[symbolsStart + Int(code + decoding[offsetStart + length])]), length) }
        }
        return (0, 0)
    }

    /// The code of `symbol` and its length, or nil when the table has no code for it.
    func code(of symbol: Int) -> (code: UInt32, length: Int)? {
        let length = Int(lengths[symbol])
        return length == 0 ? nil : (UInt32(codes[symbol]), length)
    }
}
