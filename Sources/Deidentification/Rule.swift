/// One rule of a profile: which attributes it matches, what it does with them, and where it was written.
public struct Rule: Sendable {
    public var matcher: RuleMatcher
    public var action: RuleAction
    public var origin: RuleOrigin
    /// Why, in a few words, for dry runs and audit counts ("private attribute"); defaults to the origin.
    public var note: String

    public init(_ matcher: RuleMatcher, _ action: RuleAction, origin: RuleOrigin, note: String? = nil) {
        self.matcher = matcher
        self.action = action
        self.origin = origin
        if let note {
            self.note = note
        } else if case .builtIn(let text) = origin {
            self.note = text
        } else {
            self.note = origin.description
        }
    }
}
