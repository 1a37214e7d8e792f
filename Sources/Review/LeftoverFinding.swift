import DICOMCore
import IdentifyingTerms
import DICOMDictionary

/// Something a de-identified file should not hold: an identifier of its original left in a value, or a
/// missing piece of the de-identification structure.
public struct LeftoverFinding: Hashable, Sendable {
    /// What was found.
    public enum Kind: Hashable, Sendable {
        /// A value holds an identifier of the original.
        case identifier(IdentifierTerm)
        /// The de-identification structure is wrong: Patient Identity Removed, method attributes, Encrypted Attributes.
        case structure(String)
    }

    /// How sure the check is that a finding is a leak.
    public enum Confidence: Hashable, Sendable {
        case high
        /// A coded value (CS) that equals a name component: as likely a defined term (`CT`, `TEXT`) that the
        /// patient's name happens to equal.
        case low
    }

    public var kind: Kind
    /// Where: the element holding the value, or the structural attribute concerned.
    public var path: TagPath
    /// The whole value that holds the identifier (PHI: print only when asked); empty for structure findings.
    public var value: String
    public var confidence: Confidence

    public init(kind: Kind, path: TagPath, value: String = "", confidence: Confidence = .high) {
        self.kind = kind
        self.path = path
        self.value = value
        self.confidence = confidence
    }

    /// One line: the path in words, then what was found there, values masked unless `showValues`.
    ///
    /// Masking keeps the first character and replaces the rest by `***`, so a reviewer can tell hits apart
    /// without the line carrying the identifier.
    public func line(showValues: Bool) -> String {
        let place = PathWords.describe(path)
        switch kind {
        case .structure(let message):
            return "\(place): \(message)"
        case .identifier(let term):
            let source = DataDictionary.keyword(for: term.source).map { "\(term.source) \($0)" } ?? term.source.description
            let what: String
            switch term.kind {
            case .name: what = "name component"
            case .id: what = "identifier"
            case .date: what = "date"
            case .text: what = "institution or address"
            }
            let hedge = confidence == .low ? " (low confidence: a coded value equal to it)" : ""
            if showValues {
                return "\(place): \(what) \"\(term.text)\" of \(source) in \"\(value)\"" + hedge
            }
            return "\(place): \(what) \(Self.mask(term.text)) of \(source)" + hedge
        }
    }

    /// First character and `***`.
    public static func mask(_ text: String) -> String {
        guard let first = text.first else { return "***" }
        return String(first) + "***"
    }
}
