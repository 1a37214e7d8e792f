import DICOMCore
import DICOMDictionary

/// What the profile decided for one element, after options and IOD Types were applied.
public enum Action: Hashable, Sendable, CustomStringConvertible {
    /// Leave the value as it is.
    case keep
    /// Keep the sequence and apply the profile to every item (K on a sequence, or U* replacing contained UIDs).
    case recurse
    /// Remove the element (X).
    case remove
    /// Keep the element with a zero-length value, or a sequence with no items (Z).
    case empty
    /// Replace the value with a dummy valid for the VR (D); a sequence keeps its items with every value in them
    /// replaced by the profile's action or a dummy.
    case dummy
    /// Replace each UID with its keyed `2.25.` mapping (U).
    case replaceUID
    /// Move dates back by the patient's shift (C, Retain Longitudinal Temporal Information Modified Dates).
    case shiftDates
    /// Replace the value with one the rule gives (a profile's set value, a script's result).
    case replace

    public var description: String {
        switch self {
        case .keep: return "keep"
        case .recurse: return "clean items"
        case .remove: return "remove"
        case .empty: return "empty"
        case .dummy: return "dummy"
        case .replaceUID: return "replace UID"
        case .shiftDates: return "shift dates"
        case .replace: return "replace"
        }
    }
}

/// An action and the rule that chose it, for dry runs and audit counts.
public struct Decision: Hashable, Sendable {
    public var action: Action
    /// What made it beyond the rule (an IOD Type, an unusable date...); its text, e.g. "E.1-1 X/Z/D, Type 2 -> Z"
    /// or "private attribute", is made where it is shown.
    public var refinement: DecisionRefinement
    /// The rule that decided: a Table E.1-1 row and column, a built-in rule, or a file and line.
    public var origin: RuleOrigin?

    public init(_ action: Action, _ refinement: DecisionRefinement, origin: RuleOrigin? = nil) {
        self.action = action
        self.refinement = refinement
        self.origin = origin
    }
}
