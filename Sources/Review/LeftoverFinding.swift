import DICOMCore
import IdentifyingTerms
import DICOMDictionary
import PixelData

/// Something a de-identified file should not hold: an identifier of its original left in a value, or a
/// missing piece of the de-identification structure.
public struct LeftoverFinding: Hashable, Sendable {
    /// What was found.
    public enum Kind: Hashable, Sendable {
        /// A value holds an identifier of the original.
        case identifier(IdentifierTerm)
        /// The de-identification structure is wrong: Patient Identity Removed, method attributes, Encrypted Attributes.
        case structure(String)
        /// OCR read an identifier of the original in the pixels: frame (from 0) and the box of the words read.
        case pixelText(IdentifierTerm, frame: Int, box: PixelRectangle)
    }

    /// How sure the check is that a finding is a leak.
    public enum Confidence: Hashable, Sendable {
        case high
        /// A coded value (CS) that equals a name component: as likely a defined term (`CT`, `TEXT`) that the
        /// patient's name happens to equal. In the pixels: a term read only approximately (`ARY` for `MARY`), as
        /// likely ultrasound speckle or another word.
        case low
    }

    public var kind: Kind
    /// Where: the element holding the value, or the structural attribute concerned.
    public var path: TagPath
    /// The whole value that holds the identifier, or the line OCR read (PHI: print only when asked); empty for
    /// structure findings.
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
            let hedge = confidence == .low ? " (low confidence: a coded value equal to it)" : ""
            if showValues {
                return "\(place): \(Self.what(term)) \"\(term.text)\" of \(Self.source(term)) in \"\(value)\"" + hedge
            }
            return "\(place): \(Self.what(term)) \(Self.mask(term.text)) of \(Self.source(term))" + hedge
        case .pixelText(let term, let frame, let box):
            let at = "\(place) frame \(frame + 1) at (\(box.x),\(box.y)) \(box.width)x\(box.height)"
            let hedge = confidence == .low ? " (low confidence: read approximately)" : ""
            if showValues {
                return "\(at): \(Self.what(term)) \"\(term.text)\" of \(Self.source(term)) read in the pixels as \"\(value)\"" + hedge
            }
            return "\(at): \(Self.what(term)) \(Self.mask(term.text)) of \(Self.source(term)) read in the pixels" + hedge
        }
    }

    /// The kind of identifier, in words.
    static func what(_ term: IdentifierTerm) -> String {
        switch term.kind {
        case .name: return "name component"
        case .id: return "identifier"
        case .date: return "date"
        case .text: return "institution or address"
        }
    }

    /// The attribute of the original the term comes from: tag and keyword.
    static func source(_ term: IdentifierTerm) -> String {
        DataDictionary.keyword(for: term.source).map { "\(term.source) \($0)" } ?? term.source.description
    }

    /// First character and `***`.
    public static func mask(_ text: String) -> String {
        guard let first = text.first else { return "***" }
        return String(first) + "***"
    }
}
