/// An action code of PS3.15 Table E.1-1 (PS3.15 E.1.1).
///
/// The compound codes choose by the attribute's Type in the IOD of the instance: Type 1 -> D (or U),
/// Type 2 -> Z, Type 3 or not in the IOD -> X.
public enum ProfileActionCode: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// D: replace with a non-zero length dummy value consistent with the VR.
    case dummy
    /// Z: replace with a zero length value, or a dummy value consistent with the VR.
    case zero
    /// X: remove.
    case remove
    /// K: keep (sequences: de-identify the items recursively).
    case keep
    /// C: clean, keeping values that are not identifying, replacing the rest with dummies of similar meaning.
    case clean
    /// U: replace with a non-zero length UID, consistently within the set of instances.
    case replaceUID
    /// Z/D: Z unless D is required to keep the instance valid (Type 1).
    case zeroOrDummy
    /// X/Z: X unless Z is required (Type 2).
    case removeOrZero
    /// X/D: X unless D is required (Type 1).
    case removeOrDummy
    /// X/Z/D: X unless Z or D is required (Type 2 or Type 1).
    case removeOrZeroOrDummy
    /// X/Z/U*: X unless Z or replacement of the contained instance UIDs (U) is required (Type 2, Type 1);
    /// used for sequences of references.
    case removeOrZeroOrReplaceUID

    /// The code as Table E.1-1 writes it, e.g. `X/Z/U*`.
    public var description: String {
        switch self {
        case .dummy: return "D"
        case .zero: return "Z"
        case .remove: return "X"
        case .keep: return "K"
        case .clean: return "C"
        case .replaceUID: return "U"
        case .zeroOrDummy: return "Z/D"
        case .removeOrZero: return "X/Z"
        case .removeOrDummy: return "X/D"
        case .removeOrZeroOrDummy: return "X/Z/D"
        case .removeOrZeroOrReplaceUID: return "X/Z/U*"
        }
    }
}
