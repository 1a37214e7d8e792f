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
    let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(count)
    for shift in stride(from: 4 * (count - 1), through: 0, by: -4) {
        out.append(digits[Int((value >> UInt32(shift)) & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
