import DICOMCore

/// One identifying value of an original, as the check looks for it.
public struct IdentifierTerm: Hashable, Sendable {
    /// How a term is matched.
    public enum Kind: String, Hashable, Sendable {
        /// A name component (PN): matched as a whole word.
        case name
        /// An identifier (Patient ID, accession number, serial number): matched anywhere inside text.
        case id
        /// A date (DA, or the date of a DT): matched as a whole number in its written forms.
        case date
        /// Institution name or an address: matched anywhere inside text.
        case text
    }

    public var kind: Kind
    /// The value, upper-cased (dates: `YYYYMMDD`).
    public var text: String
    /// The attribute of the original it comes from (first seen).
    public var source: Tag

    public init(kind: Kind, text: String, source: Tag) {
        self.kind = kind
        self.text = text
        self.source = source
    }
}
