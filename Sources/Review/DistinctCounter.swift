import Foundation

/// Counts the distinct values of one inventory row in bounded memory: exactly (a set of 64-bit value hashes,
/// never the values) up to a cap, then estimated with a HyperLogLog sketch of 2^14 registers (standard error
/// about 0.8 %, 16 KiB).
public struct DistinctCounter: Sendable {
    /// Register index bits of the sketch.
    static let precision = 14
    static let registerCount = 1 << precision

    private enum State: Sendable {
        case exact(Set<UInt64>)
        case sketch([UInt8])
    }

    private var state: State = .exact([])
    /// Above this many distinct hashes the exact set becomes a sketch.
    public let cap: Int

    public init(cap: Int) { self.cap = cap }

    /// Whether ``count`` is an estimate.
    public var isEstimate: Bool {
        if case .sketch = state { return true }
        return false
    }

    /// The number of distinct values seen: exact, or the sketch's estimate.
    public var count: Int {
        switch state {
        case .exact(let set): return set.count
        case .sketch(let registers): return Self.estimate(registers)
        }
    }

    /// Records one value by its hash (``ValueHash``).
    public mutating func insert(_ hash: UInt64) {
        switch state {
        case .exact(var set):
            state = .exact([])
            set.insert(hash)
            if set.count > cap {
                var registers = [UInt8](repeating: 0, count: Self.registerCount)
                for value in set { Self.add(value, to: &registers) }
                state = .sketch(registers)
            } else {
                state = .exact(set)
            }
        case .sketch(var registers):
            state = .exact([])
            Self.add(hash, to: &registers)
            state = .sketch(registers)
        }
    }

    /// Adds what `other` counted (the union of both value sets).
    public mutating func merge(_ other: DistinctCounter) {
        switch other.state {
        case .exact(let set):
            for value in set { insert(value) }
        case .sketch(let theirs):
            var registers: [UInt8]
            switch state {
            case .exact(let set):
                registers = theirs
                for value in set { Self.add(value, to: &registers) }
            case .sketch(let mine):
                registers = mine
                for index in registers.indices { registers[index] = max(registers[index], theirs[index]) }
            }
            state = .sketch(registers)
        }
    }

    private static func add(_ hash: UInt64, to registers: inout [UInt8]) {
        let index = Int(hash >> UInt64(64 - precision))
        let rest = hash << UInt64(precision)
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// HyperLogLog estimate (Flajolet et al. 2007) with linear counting for small cardinalities.
    private static func estimate(_ registers: [UInt8]) -> Int {
        let m = Double(registers.count)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(register))
            if register == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m, zeros > 0 {
            return Int((m * log(m / Double(zeros))).rounded())
        }
        return Int(raw.rounded())
    }
}

/// A 64-bit hash of value bytes for distinct counting (not cryptographic: it only has to spread values
/// evenly over the sketch's registers). Deterministic across runs and machines.
public struct ValueHash: Sendable {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var length: UInt64 = 0

    public init() {}

    /// Feeds bytes (several calls hash their concatenation only when split at multiples of 8 bytes).
    public mutating func combine(_ bytes: ArraySlice<UInt8>) {
        length &+= UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                mix(UInt64(littleEndian: word))
                offset += 8
            }
            if offset < raw.count {
                var tail: UInt64 = 0
                for (shift, byte) in raw[offset...].enumerated() { tail |= UInt64(byte) << UInt64(shift * 8) }
                mix(tail ^ 0xA5A5_0000_0000_0000)
            }
        }
    }

    private mutating func mix(_ word: UInt64) {
        state = (state ^ word) &* 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 29
    }

    /// The hash (a splitmix64 finalizer over the state and length).
    public var value: UInt64 {
        var z = state ^ (length &* 0xC4CE_B9FE_1A85_EC53)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
