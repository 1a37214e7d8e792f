/// A group keep: `<k en="T" t="0018" n="..."/>` / `keep.group0018=...`, or the safe private elements keep
/// `<k en="T" t="safeprivateelements"/>` / `keep.safeprivateelements=...`.
public struct CTPKeepRule: Hashable, Sendable {
    /// What is kept.
    public enum Target: Hashable, Sendable {
        /// Every element of this group that has no rule of its own.
        case group(UInt16)
        /// Private elements the CTP private tag index lists as safe (code `K`), and their creators.
        case safePrivateElements
    }

    /// What is kept.
    public var target: Target
    /// `en="T"`.
    public var isEnabled: Bool
    /// The `n` attribute or text.
    public var name: String
    /// The 1-based line in the script file.
    public var line: Int

    /// Creates a keep rule.
    public init(target: Target, isEnabled: Bool, name: String, line: Int) {
        self.target = target
        self.isEnabled = isEnabled
        self.name = name
        self.line = line
    }
}
