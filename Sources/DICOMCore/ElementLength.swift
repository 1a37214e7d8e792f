/// A value length as read or to be written: a defined byte count, or undefined (0xFFFFFFFF, PS3.5 7.1.1).
public enum ElementLength: Hashable, Sendable, CustomStringConvertible {
    case defined(UInt32)
    case undefined

    /// The 32-bit field value.
    @inlinable
    public var rawValue: UInt32 {
        switch self {
        case .defined(let count): return count
        case .undefined: return 0xFFFF_FFFF
        }
    }

    @inlinable
    public init(rawValue: UInt32) { self = rawValue == 0xFFFF_FFFF ? .undefined : .defined(rawValue) }

    @inlinable
    public var isUndefined: Bool { self == .undefined }

    public var description: String {
        switch self {
        case .defined(let count): return String(count)
        case .undefined: return "undefined"
        }
    }
}
