/// A global rule of a CTP script, `<k>` (``CTPKeepRule``) or `<r>` (``CTPRemoveRule``): what it is about, whether
/// it is on, its name, and where it is.
public struct CTPGlobalRule<Subject: Hashable & Sendable>: Hashable, Sendable {
    /// What the rule keeps or removes (``CTPKeepTarget`` or ``CTPRemoveTarget``).
    public typealias Target = Subject

    /// What is kept or removed.
    public var target: Target
    /// `en="T"`.
    public var isEnabled: Bool
    /// The `n` attribute or text.
    public var name: String
    /// The 1-based line in the script file.
    public var line: Int

    /// Creates a global rule.
    public init(target: Target, isEnabled: Bool, name: String, line: Int) {
        self.target = target
        self.isEnabled = isEnabled
        self.name = name
        self.line = line
    }
}
