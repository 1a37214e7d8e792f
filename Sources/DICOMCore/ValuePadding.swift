/// The padding of values to an even length (PS3.5 6.2, 7.1.1), added and removed in one place.
public enum ValuePadding {
    /// `bytes` padded to even length with the VR's padding byte (``VR/paddingByte``: NUL for UI and binary
    /// values, space for text).
    @inlinable
    public static func padded(_ bytes: [UInt8], for vr: VR) -> [UInt8] {
        guard bytes.count % 2 == 1 else { return bytes }
        var out = bytes
        out.append(vr.paddingByte)
        return out
    }

    /// `bytes` without trailing spaces and NULs: text and UID padding, and the other padding byte some writers
    /// use instead (PS3.5 6.2 pads LO with spaces and UI with NUL).
    @inlinable
    public static func trimmingTrailing<Bytes: BidirectionalCollection>(_ bytes: Bytes) -> Bytes.SubSequence
    where Bytes.Element == UInt8 {
        var end = bytes.endIndex
        while end != bytes.startIndex {
            let before = bytes.index(before: end)
            let byte = bytes[before]
            guard byte == 0x20 || byte == 0x00 else { break }
            end = before
        }
        return bytes[bytes.startIndex..<end]
    }
}
