import IdentifyingTerms

/// One identifying value of a file's header, as text lines are matched against it: the terms `dicom-review
/// check` builds (`IdentifyingTerms.IdentifierCollector`), passed in by the caller.
public struct IdentifyingValue: Sendable, Hashable {
    /// How the value was collected and is matched: a name component, an identifier, a date, institution text.
    public typealias Kind = IdentifierTerm.Kind

    public var kind: Kind
    /// The value, upper-cased.
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}
