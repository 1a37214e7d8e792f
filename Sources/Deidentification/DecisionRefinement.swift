import DICOMDictionary

/// What, beyond the rule's origin, made a decision: the IOD Type a Table E.1-1 code resolved by, a date that does
/// not parse, D on a sequence... The engine records it; its text is made only where it is shown
/// (``description``: dry runs, inventory reports).
public enum DecisionRefinement: Hashable, Sendable, CustomStringConvertible {
    /// No rule matched: the element stays.
    case noRule
    /// The deciding rule's own label (``Rule/note``): a profile or script line, a built-in rule.
    case rule(String)
    /// A Table E.1-1 code, resolved for the attribute.
    case table(TableResolution)
    /// C where a cleaning rule exists for the VR, under the option whose column gave C.
    case cleaned(ProfileOption)
    /// C where no cleaning rule exists for the VR: the Basic Profile's code instead.
    case notCleaned(ProfileOption, basicProfile: TableResolution)
    /// Patient ID or Name from the keyed pseudonym or from the lookup table.
    case pseudonym(lookupTable: Bool)
    /// A date or time Table E.1-1 does not list (PS3.15 E.1.1 note).
    case dateByVR(DateByVR)
    /// An attribute Table E.1-1 does not list, inside an item of a D sequence.
    case insideDummySequence(DummyItem)
    /// A private creator, kept while its block keeps an element.
    case privateCreator(blockRetained: Bool)
    /// A group length, recomputed after the edits.
    case groupLengthRecomputed
    /// An attribute of an earlier de-identification layer, kept as it is.
    case earlierLayer
    /// An attribute in an Encrypted Attributes item that is not part of it.
    case outsideEncryptedAttributesItem
    /// A sequence the plan does not list, whose items the inventory walks.
    case sequenceItemsWalked
    /// D on a standard sequence: its items stay, every value in them dummied.
    indirect case itemsDummied(DecisionRefinement)
    /// The decided action gives no value, as the date does not parse: what the IOD's Type allows instead.
    indirect case unusableDate(DecisionRefinement, UnusableDate)

    /// How a Table E.1-1 code resolved.
    public enum TableResolution: Hashable, Sendable, CustomStringConvertible {
        /// The code itself: D, Z, K, C, U, or X where the IOD does not require the attribute.
        case code(ProfileActionCode)
        /// A compound code (or X on an attribute the IOD requires) resolved by the attribute's Type (nil: not in
        /// the IOD) to the simple code `to`.
        case byType(ProfileActionCode, AttributeType?, to: ProfileActionCode)
        /// X/Z/U* on a sequence, whatever its Type: the references are kept with their UIDs mapped.
        case referencesKept(AttributeType?)

        public var description: String {
            switch self {
            case .code(let code): return code.description
            case .byType(.remove, let type, let to):
                return "X, \(Self.typeText(type)) -> \(to) (the IOD requires it)"
            case .byType(let code, let type, let to): return "\(code), \(Self.typeText(type)) -> \(to)"
            case .referencesKept(let type):
                return "X/Z/U*, \(Self.typeText(type)) -> U (references kept, UIDs mapped)"
            }
        }

        private static func typeText(_ type: AttributeType?) -> String { type.map { "Type \($0)" } ?? "not in IOD" }
    }

    /// A date or time Table E.1-1 does not list, by the longitudinal option in force.
    public enum DateByVR: Hashable, Sendable {
        /// Retain Longitudinal Temporal Information with Full Dates: kept.
        case fullDatesKept
        /// Retain Longitudinal Temporal Information with Modified Dates: shifted, times kept.
        case modifiedDates
        /// Neither option: removed.
        case removed
    }

    /// An attribute inside an item of a D sequence, by its VR.
    public enum DummyItem: Hashable, Sendable {
        case sequence, codedString, uid, number, other
    }

    /// What an unusable date gets, by the attribute's Type.
    public enum UnusableDate: Hashable, Sendable {
        /// Type 1: a dummy.
        case dummy
        /// Type 2: an empty value.
        case emptied
        /// Any other: removed.
        case removed
    }

    public var description: String {
        switch self {
        case .noRule: return "no rule"
        case .rule(let note): return note
        case .table(let resolution): return "E.1-1 \(resolution)"
        case .cleaned(let option): return "E.1-1 C (\(option.rawValue))"
        case .notCleaned(let option, let resolution):
            return "E.1-1 C (\(option.rawValue)) has no cleaning rule here; Basic Profile \(resolution)"
        case .pseudonym(let lookupTable): return lookupTable ? "lookup table" : "keyed pseudonym"
        case .dateByVR(.fullDatesKept): return "date/time by VR, full dates kept"
        case .dateByVR(.modifiedDates): return "date/time by VR, modified dates"
        case .dateByVR(.removed): return "date/time by VR (not in Table E.1-1)"
        case .insideDummySequence(.sequence): return "inside a D sequence: sequence"
        case .insideDummySequence(.codedString): return "inside a D sequence: coded string kept"
        case .insideDummySequence(.uid): return "inside a D sequence: UID"
        case .insideDummySequence(.number): return "inside a D sequence: number kept"
        case .insideDummySequence(.other): return "inside a D sequence: dummy"
        case .privateCreator(let blockRetained): return blockRetained ? "private creator of a retained block" : "private creator"
        case .groupLengthRecomputed: return "group length, recomputed after the edits"
        case .earlierLayer: return "earlier de-identification layer"
        case .outsideEncryptedAttributesItem: return "not part of an Encrypted Attributes item"
        case .sequenceItemsWalked: return "sequence items walked"
        case .itemsDummied(let base): return "\(base); items kept, values dummied"
        case .unusableDate(let base, .dummy): return "\(base); value not a valid date, dummy (Type 1)"
        case .unusableDate(let base, .emptied): return "\(base); value not a valid date, emptied (Type 2)"
        case .unusableDate(let base, .removed): return "\(base); value not a valid date, removed"
        }
    }
}
