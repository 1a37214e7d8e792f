/// Four upper-case hexadecimal digits, e.g. `0x0010` -> `0010` (group and element numbers).
@inlinable
public func hex4(_ value: UInt16) -> String {
    hexDigits(UInt32(value), count: 4)
}

/// Two upper-case hexadecimal digits, e.g. `0x0A` -> `0A` (bytes, private element bytes).
@inlinable
public func hex2(_ value: UInt8) -> String {
    hexDigits(UInt32(value), count: 2)
}

/// The low `count` nibbles of `value` as upper-case hexadecimal digits, most significant first.
@usableFromInline
func hexDigits(_ value: UInt32, count: Int) -> String {
    String(unsafeUninitializedCapacity: count) { buffer in
        for i in 0..<count {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt32(4 * (count - 1 - i))) & 0xF
            buffer[i] = nibble < 10 ? 0x30 + nibble : 0x37 + nibble  // '0'...'9', 'A'...'F'
        }
        return count
    }
}
