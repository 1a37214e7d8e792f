import DICOMCore

/// Which attributes a ``Rule`` applies to.
public enum RuleMatcher: Hashable, Sendable, CustomStringConvertible {
    /// One standard attribute.
    case tag(Tag)
    /// Tags under a wildcard pattern such as `(50xx,xxxx)`.
    case pattern(TagPattern)
    /// The repeating groups of PS3.5 7.6 (`6000`-`601E`, even) starting at `base`: overlays (`0x6000`).
    case repeatingGroups(base: UInt16)
    /// A private attribute by group, private creator and element byte, wherever its block sits.
    case privateAttribute(PrivateAttributeKey)
    /// Every attribute of a group.
    case group(UInt16)
    /// Every attribute of a VR (the dictionary VR of a standard attribute written as UN).
    case vr(VR)
    /// Private attributes safe to keep under the Retain Safe Private Option (PS3.15 E.3.10): on the Table
    /// E.3.10-1 list, or declared non-identifying by the instance itself in Private Data Element
    /// Characteristics Sequence (0008,0300), PS3.3 C.12.1.1.7.
    case safePrivate
    /// Every private attribute (odd group) no earlier rule matched.
    case anyPrivate
    /// A group length (gggg,0000) inside a sequence item (retired there; it would go stale).
    case groupLengthInItem
    /// A standard sequence stored as UN bytes, whose items cannot be judged one by one.
    case undecodedSequence
    /// Inside an item of a sequence whose action is dummy (D): an attribute Table E.1-1 does not list.
    case unlistedInDummiedItem
    /// Everything no earlier rule matched.
    case everythingElse

    public var description: String {
        switch self {
        case .tag(let tag): return tag.description
        case .pattern(let pattern): return pattern.description
        case .repeatingGroups(let base):
            return "(\(String(base >> 8, radix: 16, uppercase: true))xx,xxxx) repeating groups"
        case .privateAttribute(let key): return key.description
        case .group(let group):
            return "group " + hex4(group)
        case .vr(let vr): return "VR \(vr)"
        case .safePrivate: return "safe private attributes (Table E.3.10-1, or declared by the instance in (0008,0300))"
        case .anyPrivate: return "private attributes"
        case .groupLengthInItem: return "group length inside an item"
        case .undecodedSequence: return "sequence encoded as UN bytes"
        case .unlistedInDummiedItem: return "attribute not in Table E.1-1 inside a dummied sequence"
        case .everythingElse: return "everything else"
        }
    }
}
