import DICOMCore

/// One element rule: `<e en="T" t="00100010" n="PatientName">@empty()</e>` or
/// `set.[0010,0010]PatientName=@empty()` (`#set.` when disabled).
///
/// The script text is parsed once, when the script is loaded, into ``expression``.
public struct CTPElementRule: Hashable, Sendable {
    /// The element the rule applies to.
    public var tag: Tag
    /// `en="T"`; a disabled rule is kept for round trips but never evaluated or validated.
    public var isEnabled: Bool
    /// The `n` attribute (the element's name as the script author wrote it; for a private element, the name
    /// other rules may use to refer to it).
    public var name: String
    /// The script text, trimmed, as written.
    public var script: String
    /// The 1-based line of the rule in the script file.
    public var line: Int
    /// The parsed script. For a disabled rule whose text does not parse, a single text segment.
    public var expression: CTPExpression

    /// Creates a rule from parts already parsed.
    public init(tag: Tag, isEnabled: Bool, name: String, script: String, line: Int, expression: CTPExpression) {
        self.tag = tag
        self.isEnabled = isEnabled
        self.name = name
        self.script = script
        self.line = line
        self.expression = expression
    }

    /// The script begins with `@always()`: CTP creates the element when it is missing from the data set
    /// (unless it is a sequence) and evaluates the rule for it.
    public var isAlways: Bool {
        if case .call(let call)? = expression.segments.first { return call.name == "always" }
        return false
    }
}
