/// A parsed element script: text and function calls, concatenated in order.
///
/// CTP evaluates a script by appending literal text and the result of each `@function(...)` call; the
/// concatenation is then read as an action (`@keep()`, `@remove()` anywhere, `@empty()`, `@blank(n)`) or as
/// the new value. A backslash makes the next character literal. Arguments are never evaluated as scripts;
/// only the `{...}` clauses of `@if`, `@select` and `@append` are.
public struct CTPExpression: Hashable, Sendable {
    /// One piece of a script.
    public enum Segment: Hashable, Sendable {
        /// Literal text (escapes already removed).
        case text(String)
        /// A function call.
        case call(CTPFunctionCall)
    }

    /// The pieces, in order.
    public var segments: [Segment]

    /// Creates an expression.
    public init(segments: [Segment]) { self.segments = segments }

    /// Every call in this expression and in the clauses of its calls, depth first.
    public var allCalls: [CTPFunctionCall] {
        var out: [CTPFunctionCall] = []
        for segment in segments {
            guard case .call(let call) = segment else { continue }
            out.append(call)
            for clause in call.clauses { out += clause.allCalls }
        }
        return out
    }
}
