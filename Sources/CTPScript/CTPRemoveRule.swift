/// A global removal: `<r en="T" t="privategroups">Remove private groups</r>` / `remove.privategroups=`.
public typealias CTPRemoveRule = CTPGlobalRule<CTPRemoveTarget>

/// What an `<r>` global removes.
public enum CTPRemoveTarget: Hashable, Sendable {
    /// Private elements without a rule of their own and not kept (`privategroups`).
    case privateGroups
    /// Elements without a rule of their own and not kept (`unspecifiedelements`).
    case unspecifiedElements
    /// Groups 60xx (`overlays`).
    case overlays
    /// Groups 50xx (`curves`).
    case curves
    /// Anything else CTP does not define; ``CTPScript/validate()`` refuses it when enabled.
    case other(String)

    /// The `t` attribute as CTP spells it.
    public init(_ text: String) {
        switch text {
        case "privategroups": self = .privateGroups
        case "unspecifiedelements": self = .unspecifiedElements
        case "overlays": self = .overlays
        case "curves": self = .curves
        default: self = .other(text)
        }
    }
}
