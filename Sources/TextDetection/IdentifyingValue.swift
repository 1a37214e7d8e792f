/// One identifying value of a file's header, as text lines are matched against it: the terms `dicom-review
/// check` builds (`IdentifyingTerms.IdentifierCollector`), passed in by the caller.
public struct IdentifyingValue: Sendable, Hashable {
    /// How the value was collected; the same cases as `IdentifyingTerms.IdentifierTerm.Kind`.
    public enum Kind: String, Sendable, Hashable {
        /// A name component (one word).
        case name
        /// An identifier (Patient ID, accession number...).
        case id
        /// A date, `YYYYMMDD`.
        case date
        /// Institution name or address (several words).
        case text
    }

    public var kind: Kind
    /// The value, upper-cased.
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}
