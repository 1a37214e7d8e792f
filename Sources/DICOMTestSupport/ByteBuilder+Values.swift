import DICOMCore

extension ByteBuilder {
    /// An element holding 16-bit words (US, SS, OW, AT) in the builder's byte order.
    @discardableResult
    public mutating func element(_ tag: Tag, _ vr: String, uint16s values: [UInt16]) -> ByteBuilder {
        element(tag, vr, bytes: values.flatMap { ByteBuilder.bytes(of: $0, encoding.byteOrder) })
    }

    /// An element holding 32-bit words (UL, SL, FL, OF, OL) in the builder's byte order.
    @discardableResult
    public mutating func element(_ tag: Tag, _ vr: String, uint32s values: [UInt32]) -> ByteBuilder {
        element(tag, vr, bytes: values.flatMap { ByteBuilder.bytes(of: $0, encoding.byteOrder) })
    }

    /// An element holding 64-bit words (FD, OD, SV, UV, OV) in the builder's byte order.
    @discardableResult
    public mutating func element(_ tag: Tag, _ vr: String, uint64s values: [UInt64]) -> ByteBuilder {
        element(tag, vr, bytes: values.flatMap { ByteBuilder.bytes(of: $0, encoding.byteOrder) })
    }

    /// A sequence of defined length whose items are items of defined length around the given bodies.
    @discardableResult
    public mutating func sequence(_ tag: Tag, _ vr: String = "SQ", definedLengthItems bodies: [[UInt8]]) -> ByteBuilder {
        var inner = ByteBuilder(encoding)
        for body in bodies { inner.item(body: body) }
        element(tag, vr, undefinedLength: false, length: UInt32(inner.bytes.count))
        raw(inner.bytes)
        return self
    }

    /// An item of defined length around `body`.
    @discardableResult
    public mutating func item(body: [UInt8]) -> ByteBuilder {
        item(undefinedLength: false, length: UInt32(body.count))
        raw(body)
        return self
    }

    /// The bytes of `value` in `order`.
    public static func bytes<T: FixedWidthInteger>(of value: T, _ order: ByteOrder) -> [UInt8] {
        let le = (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
        return order == .littleEndian ? le : le.reversed()
    }
}

/// A deterministic random number generator (SplitMix64), for seeded property and fuzz tests.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
