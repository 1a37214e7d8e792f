/// A script parameter: `<p t="UIDROOT">1.2.3</p>` or `param.UIDROOT=1.2.3`, referred to as `@UIDROOT`.
public struct CTPParameter: Hashable, Sendable {
    /// The name, without the `@`.
    public var name: String
    /// The value, with surrounding white space trimmed.
    public var value: String
    /// The 1-based line it is defined on (0 for a value supplied on the command line).
    public var line: Int

    /// Creates a parameter.
    public init(name: String, value: String, line: Int) {
        self.name = name
        self.value = value
        self.line = line
    }
}
