/// One `@name(arg, ...)` call, with its `{...}` clauses for `@if`, `@select` and `@append`.
public struct CTPFunctionCall: Hashable, Sendable {
    /// The function name, white space removed (`hashuid`).
    public var name: String
    /// The arguments, split on top-level commas.
    public var arguments: [CTPArgument]
    /// `{then}{else}` for `@if` and `@select`, `{text}` for `@append`; empty otherwise.
    public var clauses: [CTPExpression]

    /// Creates a call.
    public init(name: String, arguments: [CTPArgument], clauses: [CTPExpression] = []) {
        self.name = name
        self.arguments = arguments
        self.clauses = clauses
    }

    /// `(a,b)`: the arguments as CTP prints them when a function fails.
    public var argumentText: String { "(" + arguments.map(\.raw).joined(separator: ",") + ")" }
}
