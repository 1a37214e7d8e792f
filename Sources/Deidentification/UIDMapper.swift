import Hashing

/// Maps original UIDs to new `2.25.` UIDs with a keyed hash (PS3.15 E.1.1, action U; PS3.5 B.2).
///
/// The new UID is the decimal form of a 128-bit value taken from HMAC-SHA-256(secret, original), shaped as a
/// UUID of version 8 (RFC 9562) so the result is a valid ISO/IEC 9834-8 UUID-derived UID. The same original
/// maps to the same new UID in every file, run and machine sharing the secret; without the secret a guessed
/// original cannot be tested against a new UID.
public struct UIDMapper: Sendable {
    private let key: HMACKey

    public init(secret: [UInt8]) { key = HMACKey(secret) }

    private static let label = Array("uid:".utf8)

    /// The replacement for `uid` (trailing NUL and spaces ignored).
    public func map(_ uid: String) -> String {
        var digest = key.authenticationCode(Self.label, uid)
        digest[6] = (digest[6] & 0x0F) | 0x80    // version 8
        digest[8] = (digest[8] & 0x3F) | 0x80    // RFC 9562 variant
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(digest[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(digest[i]) }
        return "2.25." + Self.decimal(high: high, low: low)
    }

    /// Decimal digits of the 128-bit number `high:low`: split into three parts of 19 digits by two 128-bit
    /// divisions, each part written with 64-bit arithmetic (dividing a `UInt128` by 10 for every digit cost
    /// about 6,000 instructions per UID).
    static func decimal(high: UInt64, low: UInt64) -> String {
        let value = UInt128(high) << 64 | UInt128(low)
        let part = UInt128(10_000_000_000_000_000_000 as UInt64)   // 10^19
        let (upper, last) = value.quotientAndRemainder(dividingBy: part)
        let (first, middle) = upper.quotientAndRemainder(dividingBy: part)
        // The digits on the stack (an array per UID was allocated and looked its type up at run time).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 57) { digits in
            digits.initialize(repeating: UInt8(ascii: "0"))
            func write(_ chunk: UInt64, endingAt end: Int) {
                var rest = chunk
                var i = end
                while rest > 0 {
                    digits[i] = UInt8(rest % 10) + UInt8(ascii: "0")
                    rest /= 10
                    i -= 1
                }
            }
            write(UInt64(first), endingAt: 18)
            write(UInt64(middle), endingAt: 37)
            write(UInt64(last), endingAt: 56)
            let start = digits.firstIndex { $0 != UInt8(ascii: "0") } ?? digits.count - 1
            return String(decoding: UnsafeBufferPointer(rebasing: digits[start...]), as: UTF8.self)
        }
    }
}
