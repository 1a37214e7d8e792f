import DICOMCore
import DICOMDictionary
import Synchronization

/// The Basic Application Level Confidentiality Profile with a set of options (PS3.15 E.1.1, Table E.1-1).
///
/// Decides the action for each element from the generated Table E.1-1, the options chosen, and the Type of
/// the attribute in the IOD of the instance (for the compound codes Z/D, X/Z, X/D, X/Z/D, X/Z/U*: Type 1 -> D
/// or U, Type 2 -> Z, Type 3 or not in the IOD -> X; conditional Types count as their base Type).
/// Where options disagree on a row, Retain (K) wins over Clean (C), which wins over the Basic Profile.
/// A Clean (C) with no cleaning rule for the element falls back to the Basic Profile action.
public final class Profile: Sendable {
    public let options: Set<ProfileOption>
    private let typesByIOD = Mutex<[String: [[Tag]: AttributeType]]>([:])

    /// The options in CID 7050 order, sorted once: the order in which they are consulted per element.
    private let sortedOptions: [ProfileOption]

    public init(options: Set<ProfileOption>) {
        self.options = options
        self.sortedOptions = options.sorted()
    }

    /// The attribute Types of the IOD of `sopClassUID`, computed once per IOD and shared.
    public func iodTypes(sopClassUID: String) -> [[Tag]: AttributeType] {
        guard let key = IODAttributeTypes.iodKey(forSOPClassUID: sopClassUID) else { return [:] }
        if let cached = typesByIOD.withLock({ $0[key] }) { return cached }
        let types = IODAttributeTypes.types(forIOD: key)
        typesByIOD.withLock { $0[key] = types }
        return types
    }

    /// The decision for a standard (even-group) element.
    /// - Parameters:
    ///   - typePath: the sequence tags leading to the element, then its tag.
    ///   - iodTypes: from ``iodTypes(sopClassUID:)``.
    public func decide(tag: Tag, vr: VR, typePath: [Tag], iodTypes: [[Tag]: AttributeType]) -> Decision {
        decide(tag: tag, vr: vr, sequencePath: typePath.dropLast(), iodTypes: iodTypes)
    }

    /// The decision for a standard element under the sequences `sequencePath`; the IOD type path is built
    /// only for the compound codes that depend on the attribute's Type.
    func decide(tag: Tag, vr: VR, sequencePath: ArraySlice<Tag>, iodTypes: [[Tag]: AttributeType]) -> Decision {
        // Overlay planes: Overlay Data and Comments are X (Table E.1-1); the rest of the group describes
        // an overlay that no longer exists and can carry text (Description, Label), so the group goes.
        if tag.group & 0xFF01 == 0x6000, tag.group <= 0x601E {
            return Decision(.remove, "overlay group 60xx")
        }
        guard let row = ConfidentialityProfileTable.row(for: tag) else {
            if vr == .DA || vr == .DT || vr == .TM { return dateRule(vr: vr) }
            return Decision(vr == .SQ ? .recurse : .keep, "not in Table E.1-1")
        }
        let basic = row.action(.basicProfile) ?? .remove
        let type = { iodTypes[Array(sequencePath) + [tag]] }
        var retain: ProfileOption?
        var clean: ProfileOption?
        for option in sortedOptions {
            switch row.action(option.column) {
            case .keep?: if retain == nil { retain = option }
            case .clean?: if clean == nil { clean = option }
            default: break
            }
        }
        if let retain {
            return Decision(vr == .SQ ? .recurse : .keep, "E.1-1 K (\(retain.rawValue))")
        }
        if let clean {
            if let cleaned = cleaningRule(vr: vr) {
                return Decision(cleaned, "E.1-1 C (\(clean.rawValue))")
            }
            let fallback = resolve(basic, vr: vr, type: type)
            return Decision(fallback.0, "E.1-1 C (\(clean.rawValue)) has no cleaning rule here; Basic Profile " + fallback.1)
        }
        let resolved = resolve(basic, vr: vr, type: type)
        return Decision(resolved.0, "E.1-1 " + resolved.1)
    }

    /// The cleaning rule for C, where one exists: dates are shifted (Modified Dates option), times kept.
    /// Sequences have none: recursing would keep every item attribute Table E.1-1 does not list (an SR Text
    /// Value (0040,A160) under Content Sequence C), which is not "values known not to contain identifying
    /// information"; they fall back to the Basic Profile.
    private func cleaningRule(vr: VR) -> Action? {
        switch vr {
        case .DA, .DT: return options.contains(.retainLongitudinalModifiedDates) ? .shiftDates : nil
        case .TM: return options.contains(.retainLongitudinalModifiedDates) ? .keep : nil
        default: return nil
        }
    }

    /// Dates and times of attributes Table E.1-1 does not list (PS3.15 E.1.1 note): removed, unless a
    /// longitudinal option keeps or shifts them.
    private func dateRule(vr: VR) -> Decision {
        if options.contains(.retainLongitudinalFullDates) { return Decision(.keep, "date/time by VR, full dates kept") }
        if options.contains(.retainLongitudinalModifiedDates) {
            return Decision(vr == .TM ? .keep : .shiftDates, "date/time by VR, modified dates")
        }
        return Decision(.remove, "date/time by VR (not in Table E.1-1)")
    }

    /// Resolves a Basic Profile code for an attribute of the given Type (nil: not in the IOD); `type` is
    /// looked up only for the compound codes.
    private func resolve(_ code: ProfileActionCode, vr: VR, type lookUpType: () -> AttributeType?) -> (Action, String) {
        let isSequence = vr == .SQ
        switch code {
        case .dummy: return (vr == .UI ? .replaceUID : .dummy, "D")
        case .zero: return (.empty, "Z")
        case .remove: return (.remove, "X")
        case .keep: return (isSequence ? .recurse : .keep, "K")
        case .clean: return (isSequence ? .recurse : .remove, "C")
        case .replaceUID: return (isSequence ? .recurse : .replaceUID, "U")
        default: break
        }
        let type = lookUpType()
        let required1 = type == .type1 || type == .type1C
        let required2 = type == .type2 || type == .type2C
        let typeText = type.map { "Type \($0)" } ?? "not in IOD"
        // D on a sequence is not K: the items stay, but attributes Table E.1-1 does not list get dummies too
        // (Content Sequence > Text Value must not survive). U* alone recurses with the plain profile.
        switch code {
        case .dummy, .zero, .remove, .keep, .clean, .replaceUID:
            return (.remove, "X")   // resolved above; never reached
        case .zeroOrDummy:
            return required1 ? (.dummy, "Z/D, \(typeText) -> D") : (.empty, "Z/D, \(typeText) -> Z")
        case .removeOrZero:
            return required1 || required2 ? (.empty, "X/Z, \(typeText) -> Z") : (.remove, "X/Z, \(typeText) -> X")
        case .removeOrDummy:
            return required1 || required2
                ? (.dummy, "X/D, \(typeText) -> D") : (.remove, "X/D, \(typeText) -> X")
        case .removeOrZeroOrDummy:
            if required1 { return (.dummy, "X/Z/D, \(typeText) -> D") }
            if required2 { return (.empty, "X/Z/D, \(typeText) -> Z") }
            return (.remove, "X/Z/D, \(typeText) -> X")
        case .removeOrZeroOrReplaceUID:
            if required1 { return (isSequence ? .recurse : .replaceUID, "X/Z/U*, \(typeText) -> U") }
            if required2 { return (.empty, "X/Z/U*, \(typeText) -> Z") }
            return (.remove, "X/Z/U*, \(typeText) -> X")
        }
    }
}
