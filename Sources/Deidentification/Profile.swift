import DICOMCodec
import DICOMCore
import DICOMDictionary
import Synchronization

/// A de-identification profile: an ordered ``RuleSet`` and the options in force, with the per-element
/// resolution of each rule's action (PS3.15 E.1.1, Table E.1-1).
///
/// The built-in profile is the Basic Application Level Confidentiality Profile with a set of options
/// (``BasicProfileRules``). Compound codes Z/D, X/Z, X/D, X/Z/D, X/Z/U* resolve by the Type of the attribute
/// in the IOD of the instance: Type 1 -> D or U, Type 2 -> Z, Type 3 or not in the IOD -> X (conditional
/// Types count as their base Type). A Clean (C) with no cleaning rule for the element falls back to the
/// Basic Profile action.
public final class Profile: Sendable {
    public let options: Set<ProfileOption>
    public let rules: RuleSet
    /// What the profile may claim in De-identification Method and its Code Sequence.
    public let claim: Claim
    /// Per IOD: its attribute Types and the decisions made for it so far (``DecisionIndex``).
    private let byIOD = Mutex<[String: IODContext]>([:])
    /// The decisions for instances of no known IOD.
    private let decisionsWithoutIOD = DecisionIndex()

    /// What resolving an attribute needs from the IOD of its instance, made once per IOD and shared.
    struct IODContext: Sendable {
        var types: [[Tag]: AttributeType]
        var decisions: DecisionIndex
    }

    /// What a profile claims about itself in the output (PS3.15 E.1.1 step 6, CID 7050).
    public enum Claim: Sendable, Equatable {
        /// The built-in Basic Profile with the options: codes 113100 and the options' codes.
        case basicProfile
        /// A profile from a file or script, by name: no CID 7050 codes are claimed for it.
        case custom(String)
    }

    /// The built-in Basic Profile with `options`.
    public init(options: Set<ProfileOption>) {
        self.options = options
        self.rules = RuleSet(SafetyRules.applied(to: BasicProfileRules.rules(options: options)))
        self.claim = .basicProfile
        self.additions = nil
        self.comparison = BasicProfileComparison(weakenings: [])
        self.patientKeyUse = Self.patientKeyUse(of: self.rules)
    }

    /// A profile of `rules` (first match wins) named `name`; `options` decide dates by VR and cleaning
    /// where the rules use them; `additions` sets top-level attributes after the rules ran. The safety rules
    /// every profile has (``SafetyRules``) are added around them.
    /// - Parameter claimedOptions: the options the profile claims itself (a CTP script's code sequence), which
    ///   its comparison with the Basic Profile uses; `options` when nil.
    public init(options: Set<ProfileOption>, rules: [Rule], name: String, additions: (any RootAdditions)? = nil,
                claimedOptions: Set<ProfileOption>? = nil) {
        self.options = options
        self.rules = RuleSet(SafetyRules.applied(to: rules))
        self.claim = .custom(name)
        self.additions = additions
        self.comparison = BasicProfileComparison(rules: self.rules, options: claimedOptions ?? options)
        self.patientKeyUse = Self.patientKeyUse(of: self.rules)
    }

    /// The profile compared with the Basic Profile with its options, made once when the profile is made.
    public let comparison: BasicProfileComparison

    /// What derives from the patient key (``Deidentifier/patientKey(_:_:)``): the built-in pseudonyms and date
    /// shifts, the functions of scripts keyed on the Patient ID, both or neither.
    public struct PatientKeyUse: Sendable, Equatable {
        public var builtIn: Bool
        public var scripts: Bool
    }
    public let patientKeyUse: PatientKeyUse

    private static func patientKeyUse(of rules: RuleSet) -> PatientKeyUse {
        var use = PatientKeyUse(builtIn: false, scripts: false)
        for rule in rules.rules {
            switch rule.action {
            case .pseudonym, .dateByVR, .clean, .fixed(.shiftDates), .fixed(.dummy): use.builtIn = true
            case .script(let script): if script.keysOnPatientID { use.scripts = true }
            default: break
            }
        }
        return use
    }

    /// Top-level attributes the profile sets after its rules ran (CTP `@always()`); nil for most profiles.
    public let additions: (any RootAdditions)?

    /// The Basic Profile with `options` as rules, for profiles that add their own rules before them.
    public static func basicRules(options: Set<ProfileOption>) -> [Rule] {
        BasicProfileRules.rules(options: options)
    }

    /// The attribute Types of the IOD of `sopClassUID`, computed once per IOD and shared.
    public func iodTypes(sopClassUID: String) -> [[Tag]: AttributeType] {
        iodContext(sopClassUID: sopClassUID).types
    }

    /// The attribute Types and the decision index of the IOD of `sopClassUID`.
    func iodContext(sopClassUID: String) -> IODContext {
        guard let key = IODAttributeTypes.iodKey(forSOPClassUID: sopClassUID) else {
            return IODContext(types: [:], decisions: decisionsWithoutIOD)
        }
        if let cached = byIOD.withLock({ $0[key] }) { return cached }
        let made = IODContext(types: IODAttributeTypes.types(forIOD: key), decisions: DecisionIndex())
        return byIOD.withLock { contexts in
            if let raced = contexts[key] { return raced }   // another thread made it first: one index per IOD
            contexts[key] = made
            return made
        }
    }

    /// The rule that decides the top-level attribute `tag` of VR `vr`, when what decides does not depend on
    /// the instance (load-time checks of profiles); nil when no rule matches.
    public func rule(forTopLevel tag: Tag, vr: VR) -> Rule? {
        rules.firstMatch(MatchSubject(tag: tag, vr: vr, isUndecodedSequence: false, isInsideItem: false,
                                      isInsideDummiedItem: false, container: DataSet(), safePrivate: nil))
    }

    /// Attributes every output needs, which no profile may remove or empty: the instance's identity, and the
    /// file meta made from it (PS3.10 7.1).
    public static let requiredAttributes: [(Tag, String)] = [
        (Tag(0x0008, 0x0016), "SOP Class UID"), (Tag(0x0008, 0x0018), "SOP Instance UID"),
    ]

    /// The first rule that removes or empties an attribute of ``requiredAttributes``, with the attribute's name.
    public var ruleRemovingRequiredAttribute: (rule: Rule, tag: Tag, name: String)? {
        for (tag, name) in Self.requiredAttributes {
            guard let rule = rule(forTopLevel: tag, vr: .UI) else { continue }
            switch rule.action {
            case .fixed(.remove), .fixed(.empty): return (rule, tag, name)
            case .setText(let text) where text.isEmpty: return (rule, tag, name)
            default: continue
            }
        }
        return nil
    }

    /// A decision and, for ``Action/replace``, the new text.
    struct Resolution: Sendable {
        var decision: Decision
        var replacement: String?
        /// The matcher of the rule that decided.
        var matcher: RuleMatcher? = nil
        /// D on a standard sequence: the items stay, and every value in them is the profile's or a dummy.
        var dummiesItems = false
        /// Decided by a script, which reads the element's value and the instance: not for the ``DecisionIndex``.
        var dependsOnFile = false
    }

    /// Finds the rule for `subject` and resolves its action for `element`.
    /// - Parameters:
    ///   - sequencePath: the sequence tags leading to the element (for IOD Types).
    ///   - usesLookup: Patient ID and Name come from a lookup table rather than the keyed pseudonym.
    ///   - scriptContext: what element scripts see, made only for script rules.
    func resolve(_ subject: MatchSubject, element: DataElement, sequencePath: ArraySlice<Tag>,
                 iodTypes: [[Tag]: AttributeType], usesLookup: Bool,
                 scriptContext: () -> ScriptContext) throws(DeidentificationError) -> Resolution {
        guard let rule = rules.firstMatch(subject) else {
            return Resolution(decision: Decision(subject.vr == .SQ ? .recurse : .keep, .noRule), replacement: nil)
        }
        var resolution = try resolveAction(of: rule, subject, element: element, sequencePath: sequencePath,
                                           iodTypes: iodTypes, usesLookup: usesLookup, scriptContext: scriptContext)
        resolution.matcher = rule.matcher
        if case .script = rule.action { resolution.dependsOnFile = true }
        if resolution.decision.action == .dummy, element.sequence != nil, !subject.tag.isPrivate {
            // D on a sequence: the items stay, so the IOD keeps its Type 1 content (an SR content tree, a
            // Verifying Observer), but every value in them is the profile's or a dummy.
            resolution.dummiesItems = true
            resolution.decision.refinement = .itemsDummied(resolution.decision.refinement)
        }
        return resolution
    }

    /// The decision for an element whose decided action gives no value: a date that does not parse, which
    /// never stays. An attribute the IOD requires gets a dummy (Type 1) or an empty value (Type 2); any other
    /// goes.
    static func unusableValueDecision(_ decision: Decision, type: AttributeType?) -> Decision {
        switch type {
        case .type1?, .type1C?:
            return Decision(.dummy, .unusableDate(decision.refinement, .dummy), origin: decision.origin)
        case .type2?, .type2C?:
            return Decision(.empty, .unusableDate(decision.refinement, .emptied), origin: decision.origin)
        default:
            return Decision(.remove, .unusableDate(decision.refinement, .removed), origin: decision.origin)
        }
    }

    /// The decision for a private creator: it stays while its block keeps an element, else goes.
    static func creatorDecision(blockRetained: Bool) -> Decision {
        Decision(blockRetained ? .keep : .remove, .privateCreator(blockRetained: blockRetained))
    }

    /// Resolves the action of `rule` for `element`.
    private func resolveAction(of rule: Rule, _ subject: MatchSubject, element: DataElement, sequencePath: ArraySlice<Tag>,
                               iodTypes: [[Tag]: AttributeType], usesLookup: Bool,
                               scriptContext: () -> ScriptContext) throws(DeidentificationError) -> Resolution {
        let vr = subject.vr
        let origin = rule.origin
        func decided(_ action: Action, _ refinement: DecisionRefinement) -> Resolution {
            Resolution(decision: Decision(action, refinement, origin: origin), replacement: nil)
        }
        switch rule.action {
        case .fixed(let action):
            return decided(action, .rule(rule.note))
        case .keep:
            return decided(vr == .SQ ? .recurse : .keep, .rule(rule.note))
        case .tableCode(let code):
            let resolved = Self.tableDecision(code, vr: vr) { iodTypes[Array(sequencePath) + [subject.tag]] }
            return decided(resolved.action, .table(resolved.resolution))
        case .clean(let fallback, let option):
            if let cleaned = cleaningRule(vr: vr) { return decided(cleaned, .cleaned(option)) }
            let resolved = Self.resolve(fallback, vr: vr) { iodTypes[Array(sequencePath) + [subject.tag]] }
            return decided(resolved.0, .notCleaned(option, basicProfile: resolved.1))
        case .pseudonym:
            return decided(.dummy, .pseudonym(lookupTable: usesLookup))
        case .dateByVR:
            let date = dateRule(vr: vr)
            return decided(date.action, date.refinement)
        case .dummyByVR:
            let dummy = Self.dummyItemDecision(vr)
            return decided(dummy.action, dummy.refinement)
        case .setText(let text):
            return Resolution(decision: Decision(.replace, .rule(rule.note), origin: origin), replacement: text)
        case .script(let program):
            switch try program.evaluate(element, in: scriptContext()) {
            case .keep: return decided(vr == .SQ ? .recurse : .keep, .rule(rule.note))
            case .process: return decided(vr == .SQ ? .recurse : .keep, .rule(rule.note))
            case .remove: return decided(.remove, .rule(rule.note))
            case .empty: return decided(.empty, .rule(rule.note))
            case .set(let text): return Resolution(decision: Decision(.replace, .rule(rule.note), origin: origin), replacement: text)
            case .skipFile(let why):
                throw DeidentificationError(.skippedByProfile, "skipped by \(origin): \(why)")
            case .quarantineFile(let why):
                throw DeidentificationError(.quarantinedByProfile, "quarantined by \(origin): \(why)")
            }
        }
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
        if options.contains(.retainLongitudinalFullDates) { return Decision(.keep, .dateByVR(.fullDatesKept)) }
        if options.contains(.retainLongitudinalModifiedDates) {
            return Decision(vr == .TM ? .keep : .shiftDates, .dateByVR(.modifiedDates))
        }
        return Decision(.remove, .dateByVR(.removed))
    }

    /// The decision for an attribute Table E.1-1 does not list, inside an item of a D sequence: coded strings
    /// and numbers are kept (they hold structure: Relationship Type, Value Type, measurements), UIDs mapped,
    /// sequences dummied in turn, and every other value — text, names, dates, opaque bytes — replaced by a
    /// dummy of its VR.
    static func dummyItemDecision(_ vr: VR) -> Decision {
        switch vr {
        case .SQ: return Decision(.dummy, .insideDummySequence(.sequence))
        case .CS: return Decision(.keep, .insideDummySequence(.codedString))
        case .UI: return Decision(.replaceUID, .insideDummySequence(.uid))
        case .DS, .IS, .US, .SS, .UL, .SL, .FL, .FD, .SV, .UV, .AT, .OF, .OD, .OL, .OV:
            return Decision(.keep, .insideDummySequence(.number))
        default: return Decision(.dummy, .insideDummySequence(.other))
        }
    }

    /// ``resolve(_:vr:type:)`` of a Table E.1-1 code: from a table made once, since
    /// the result depends only on the code, whether the VR is UI, SQ or another, and the Type (`type` is looked up
    /// only for the compound codes, as there).
    static func tableDecision(_ code: ProfileActionCode, vr: VR, type lookUpType: () -> AttributeType?)
        -> (action: Action, resolution: DecisionRefinement.TableResolution) {
        let vrIndex = vr == .UI ? 0 : vr == .SQ ? 1 : 2
        let typeIndex: Int
        switch code {
        case .dummy, .zero, .keep, .clean, .replaceUID: typeIndex = 0
        default: typeIndex = lookUpType().map { Int($0.rawValue) + 1 } ?? 0
        }
        return tableDecisions[(Int(code.rawValue) * 3 + vrIndex) * (AttributeType.allCases.count + 1) + typeIndex]
    }

    /// Every result of ``tableDecision(_:vr:type:)``, by code, VR (UI, SQ, other) and Type (none, then each).
    private static let tableDecisions: [(action: Action, resolution: DecisionRefinement.TableResolution)] = {
        var table: [(action: Action, resolution: DecisionRefinement.TableResolution)] = []
        let types: [AttributeType?] = [nil] + AttributeType.allCases.map { $0 }
        for (index, code) in ProfileActionCode.allCases.enumerated() {
            precondition(Int(code.rawValue) == index && types.dropFirst().enumerated().allSatisfy { Int($1!.rawValue) == $0 },
                         "table index is the raw value")
            for vr in [VR.UI, VR.SQ, VR.CS] {
                for type in types {
                    let resolved = resolve(code, vr: vr) { type }
                    table.append((resolved.0, resolved.1))
                }
            }
        }
        return table
    }()

    /// Resolves a Basic Profile code for an attribute of the given Type (nil: not in the IOD); `type` is
    /// looked up only for the compound codes.
    static func resolve(_ code: ProfileActionCode, vr: VR, type lookUpType: () -> AttributeType?)
        -> (Action, DecisionRefinement.TableResolution) {
        let isSequence = vr == .SQ
        switch code {
        case .dummy: return (vr == .UI ? .replaceUID : .dummy, .code(code))
        case .zero: return (.empty, .code(code))
        case .keep: return (isSequence ? .recurse : .keep, .code(code))
        case .clean: return (isSequence ? .recurse : .remove, .code(code))
        case .replaceUID: return (isSequence ? .recurse : .replaceUID, .code(code))
        default: break
        }
        let type = lookUpType()
        let required1 = type == .type1 || type == .type1C
        let required2 = type == .type2 || type == .type2C
        // D on a sequence is not K: the items stay, but attributes Table E.1-1 does not list get dummies too
        // (Content Sequence > Text Value must not survive). U* alone recurses with the plain profile.
        switch code {
        case .remove:
            // X on an attribute the IOD requires (Type 1/2, or 1C/2C: present, so its condition most likely
            // holds, e.g. Responsible Person of an animal patient) would break the IOD: D or Z instead.
            if required1 { return (vr == .UI ? .replaceUID : .dummy, .byType(code, type, to: .dummy)) }
            if required2 { return (.empty, .byType(code, type, to: .zero)) }
            return (.remove, .code(code))
        case .dummy, .zero, .keep, .clean, .replaceUID:
            return (.remove, .code(.remove))   // resolved above; never reached
        case .zeroOrDummy:
            return required1 ? (.dummy, .byType(code, type, to: .dummy)) : (.empty, .byType(code, type, to: .zero))
        case .removeOrZero:
            return required1 || required2 ? (.empty, .byType(code, type, to: .zero)) : (.remove, .byType(code, type, to: .remove))
        case .removeOrDummy:
            return required1 || required2
                ? (.dummy, .byType(code, type, to: .dummy)) : (.remove, .byType(code, type, to: .remove))
        case .removeOrZeroOrDummy:
            if required1 { return (.dummy, .byType(code, type, to: .dummy)) }
            if required2 { return (.empty, .byType(code, type, to: .zero)) }
            return (.remove, .byType(code, type, to: .remove))
        case .removeOrZeroOrReplaceUID:
            // A reference sequence (Referenced Image, Source Image, Referenced Series ...) keeps its items with
            // their UIDs mapped whatever its Type: U is allowed, and a de-identified collection needs its
            // references to hold together.
            if isSequence { return (.recurse, .referencesKept(type)) }
            if required1 { return (.replaceUID, .byType(code, type, to: .replaceUID)) }
            if required2 { return (.empty, .byType(code, type, to: .zero)) }
            return (.remove, .byType(code, type, to: .remove))
        }
    }
}

