/// Java `new BigInteger(1, bytes).toString()`: the bytes as one unsigned big-endian integer, in base 10, without
/// leading zeros ("0" for an all-zero input).
enum DecimalText {
    static func unsigned(_ bytes: [UInt8]) -> String {
        // Digests are 16 bytes: one 128-bit number, printed by the standard library (the limb loop below
        // allocated several arrays per hash and showed in profiles of CTP scripts).
        if bytes.count <= 16 {
            var value: UInt128 = 0
            for byte in bytes { value = value << 8 | UInt128(byte) }
            return String(value)
        }
        // Repeated division of the big-endian magnitude by 10^9, collecting base-10^9 limbs.
        var magnitude = bytes.drop { $0 == 0 }.map { UInt32($0) }
        var limbs: [UInt32] = []
        while !magnitude.isEmpty {
            var remainder: UInt64 = 0
            var quotient: [UInt32] = []
            quotient.reserveCapacity(magnitude.count)
            for byte in magnitude {
                let current = remainder << 8 | UInt64(byte)
                let digit = current / 1_000_000_000
                remainder = current % 1_000_000_000
                if !quotient.isEmpty || digit != 0 { quotient.append(UInt32(digit)) }
            }
            limbs.append(UInt32(remainder))
            magnitude = quotient
        }
        guard let top = limbs.last else { return "0" }
        var text = String(top)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
