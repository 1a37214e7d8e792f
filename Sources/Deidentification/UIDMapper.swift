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

    /// Decimal digits of the 128-bit number `high:low`.
    static func decimal(high: UInt64, low: UInt64) -> String {
        var value = UInt128(high) << 64 | UInt128(low)
        if value == 0 { return "0" }
        var digits: [UInt8] = []
        while value > 0 {
            digits.append(UInt8(value % 10) + 0x30)
            value /= 10
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
