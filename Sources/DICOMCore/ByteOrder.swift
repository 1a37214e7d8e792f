/// Byte order of binary values and headers (PS3.5 7.3).
public enum ByteOrder: Hashable, Sendable {
    case littleEndian
    case bigEndian
}

/// How the elements of a data set are encoded: explicit or implicit VR, and byte order (PS3.5 7.1).
public struct ElementEncoding: Hashable, Sendable {
    public var isExplicitVR: Bool
    public var byteOrder: ByteOrder

    public init(isExplicitVR: Bool, byteOrder: ByteOrder) {
        self.isExplicitVR = isExplicitVR
        self.byteOrder = byteOrder
    }

    public static let implicitLittle = ElementEncoding(isExplicitVR: false, byteOrder: .littleEndian)
    public static let explicitLittle = ElementEncoding(isExplicitVR: true, byteOrder: .littleEndian)
    public static let explicitBig = ElementEncoding(isExplicitVR: true, byteOrder: .bigEndian)
}
