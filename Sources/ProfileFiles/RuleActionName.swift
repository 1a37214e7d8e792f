import Deidentification

/// The action names profile files use, shared by the native profile format and disposition files.
enum RuleActionName: String, CaseIterable {
    case keep
    case remove
    case empty
    case dummy
    case newUID = "new-uid"
    case pseudonym
    case shiftDates = "shift-dates"
    case set
    case function

    /// The names, for error messages.
    static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The rule action for the names that need no value.
    var fixedAction: RuleAction? {
        switch self {
        case .keep: return .keep
        case .remove: return .fixed(.remove)
        case .empty: return .fixed(.empty)
        case .dummy: return .fixed(.dummy)
        case .newUID: return .fixed(.replaceUID)
        case .pseudonym: return .pseudonym
        case .shiftDates: return .fixed(.shiftDates)
        case .set, .function: return nil
        }
    }
}
