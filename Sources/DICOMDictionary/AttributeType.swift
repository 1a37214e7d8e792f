/// The Type of an attribute in a module (PS3.5 7.4), strongest requirement first.
///
/// `rawValue` order is strength order: a smaller raw value is the stronger requirement.
public enum AttributeType: UInt8, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Type 1: required, non-empty.
    case type1
    /// Type 1C: required non-empty under a condition.
    case type1C
    /// Type 2: required, may be empty.
    case type2
    /// Type 2C: required, may be empty, under a condition.
    case type2C
    /// Type 3: optional.
    case type3

    /// `a < b` when `a` is the stronger requirement (Type 1 < Type 1C < ... < Type 3).
    public static func < (lhs: AttributeType, rhs: AttributeType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The Type as PS3.3 writes it: `1`, `1C`, `2`, `2C`, `3`.
    public var description: String {
        switch self {
        case .type1: return "1"
        case .type1C: return "1C"
        case .type2: return "2"
        case .type2C: return "2C"
        case .type3: return "3"
        }
    }
}
