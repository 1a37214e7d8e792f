import DICOMCore

/// Binary and UID values as bytes and back (PS3.5 6.2, 7.3): the one place where the bytes of US, UL, AT
/// and UI values are built or read, and where binary words change byte order.
///
/// Element headers are the reader's and writer's own concern (`ByteReader`, `DataSetWriter`); this is
/// for values: group lengths, Pixel Representation, the tags of an AT list, UIDs.
public enum ValueEncoding {
    // MARK: - Encoders

    /// US (and the words of OW): each value as 2 bytes in `order`.
    public static func us(_ values: [UInt16], order: ByteOrder) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2 * values.count)
        for value in values { append(value, order: order, to: &out) }
        return out
    }

    /// UL: each value as 4 bytes in `order`, e.g. a group length.
    public static func ul(_ values: UInt32..., order: ByteOrder) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 * values.count)
        for value in values {
            let (high, low) = (UInt16(truncatingIfNeeded: value >> 16), UInt16(truncatingIfNeeded: value))
            if order == .littleEndian {
                append(low, order: order, to: &out)
                append(high, order: order, to: &out)
            } else {
                append(high, order: order, to: &out)
                append(low, order: order, to: &out)
            }
        }
        return out
    }

    /// UV and OV: each value as 8 bytes in `order`, e.g. an Extended Offset Table.
    public static func uv(_ values: [UInt64], order: ByteOrder) -> [UInt8] {
        values.flatMap { value in
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
            return order == .littleEndian ? bytes : bytes.reversed()
        }
    }

    /// AT: each tag as its group then its element, 2 bytes each in `order` (PS3.5 6.2).
    public static func at(_ tags: [Tag], order: ByteOrder) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 * tags.count)
        for tag in tags {
            append(tag.group, order: order, to: &out)
            append(tag.element, order: order, to: &out)
        }
        return out
    }

    /// UI: the UID's characters, padded to even length with one NUL (PS3.5 9.1).
    public static func ui(_ uid: String) -> [UInt8] {
        ValuePadding.padded(Array(uid.utf8), for: .UI)
    }

    @inline(__always)
    private static func append(_ value: UInt16, order: ByteOrder, to out: inout [UInt8]) {
        let (high, low) = (UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
        if order == .littleEndian {
            out.append(low)
            out.append(high)
        } else {
            out.append(high)
            out.append(low)
        }
    }

    // MARK: - Decoders

    /// The 16-bit value at `index` of `bytes`, in `order`; the caller has checked that two bytes are there.
    @inlinable
    public static func uint16(_ bytes: ArraySlice<UInt8>, at index: Int, order: ByteOrder) -> UInt16 {
        let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
        return order == .littleEndian ? a | b << 8 : a << 8 | b
    }

    /// US (and the words of OW) values: every whole 16-bit word of `bytes` in `order`; an odd last byte is
    /// ignored.
    public static func uint16s(_ bytes: ArraySlice<UInt8>, order: ByteOrder) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            out.append(uint16(bytes, at: i, order: order))
            i += 2
        }
        return out
    }

    /// UL values: every whole 32-bit word of `bytes` in `order`; bytes after the last whole word are ignored.
    public static func uint32s(_ bytes: ArraySlice<UInt8>, order: ByteOrder) -> [UInt32] {
        uint64s(bytes, order: order, width: 4).map { UInt32(truncatingIfNeeded: $0) }
    }

    /// UV and OV values: every whole 64-bit word of `bytes` in `order`; bytes after the last whole word are
    /// ignored.
    public static func uint64s(_ bytes: ArraySlice<UInt8>, order: ByteOrder) -> [UInt64] {
        uint64s(bytes, order: order, width: 8)
    }

    private static func uint64s(_ bytes: ArraySlice<UInt8>, order: ByteOrder, width: Int) -> [UInt64] {
        stride(from: bytes.startIndex, to: bytes.endIndex - (width - 1), by: width).map { start in
            let word = bytes[start..<(start + width)]
            return (order == .littleEndian ? Array(word.reversed()) : Array(word)).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }

    /// AT values: every whole pair of 16-bit words of `bytes`, group then element, in `order`; bytes after
    /// the last whole tag are ignored.
    public static func tags(_ bytes: ArraySlice<UInt8>, order: ByteOrder) -> [Tag] {
        let words = uint16s(bytes, order: order)
        return stride(from: 0, to: words.count - 1, by: 2).map { Tag(words[$0], words[$0 + 1]) }
    }

    /// A UI value as text: without its trailing NUL (or space) padding, and without leading spaces.
    public static func uid(_ bytes: ArraySlice<UInt8>) -> String {
        TextDecoding.trimmedASCII(bytes)
    }

    // MARK: - Byte order

    /// Appends `bytes` with every `wordSize`-byte word reversed: binary values from one byte order to the
    /// other (PS3.5 7.3). `bytes.count` must be a multiple of `wordSize`.
    @inline(__always)
    static func appendSwapped<Sink: ByteSink>(_ bytes: ArraySlice<UInt8>, wordSize: Int, into out: inout Sink) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            for k in stride(from: wordSize - 1, through: 0, by: -1) { out.write(bytes[i + k]) }
            i += wordSize
        }
    }
}
