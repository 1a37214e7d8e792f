/// A global removal: `<r en="T" t="privategroups">Remove private groups</r>` / `remove.privategroups=`.
public struct CTPRemoveRule: Hashable, Sendable {
    /// What is removed.
    public enum Target: Hashable, Sendable {
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

    /// What is removed.
    public var target: Target
    /// `en="T"`.
    public var isEnabled: Bool
    /// The `n` attribute or text.
    public var name: String
    /// The 1-based line in the script file.
    public var line: Int

    /// Creates a removal rule.
    public init(target: Target, isEnabled: Bool, name: String, line: Int) {
        self.target = target
        self.isEnabled = isEnabled
        self.name = name
        self.line = line
    }
}
