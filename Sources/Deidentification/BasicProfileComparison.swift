import DICOMCodec
import DICOMCore
import DICOMDictionary

/// A profile compared with the Basic Profile with the same options, from its rules alone (once per run): which
/// attributes it keeps, or handles less strictly, where the Basic Profile would remove, empty, dummy or
/// replace them.
///
/// For each row of Table E.1-1 (and a few attributes the table does not list: dates by VR, file meta and
/// command group elements inside the data set, overlays) the rule that wins in each profile is found, first
/// match winning, and the strictness of its action compared: a value replaced (removed, emptied, dummied,
/// mapped, set) is strictest, then a value derived from the original (a shifted date), then a value a
/// function or script decides (not checked here), then a value kept. A rule such as `everything-else: keep`
/// ahead of the Basic Profile's rules thus shows as every attribute of the table kept.
public struct BasicProfileComparison: Sendable {
    /// The kinds of attributes the warning counts.
    public enum Family: String, CaseIterable, Sendable {
        case names, ids = "IDs", dates, uids = "UIDs", institution, `private`, other, unlisted
    }

    /// One attribute (or group of attributes) handled less strictly.
    public struct Weakening: Sendable {
        public var family: Family
        /// The attribute as Table E.1-1 names it, with its tag ("(0010,0010) Patient's Name").
        public var attribute: String
        /// The profile's rule that decides it; nil when no rule does (kept).
        public var rule: RuleOrigin?
        /// A function or script decides: it may replace the value, but this comparison cannot tell.
        public var byScript: Bool
    }

    /// Attributes kept or handled less strictly than by the Basic Profile, in Table E.1-1 order.
    public let weakenings: [Weakening]

    /// Whether some attribute is kept where the Basic Profile would not keep it (scripts not counted).
    public var keepsWhatBasicRemoves: Bool { weakenings.contains { !$0.byScript } }

    /// How many attributes per family, scripts apart.
    public func counts(byScript: Bool) -> [(Family, Int)] {
        Family.allCases.compactMap { family in
            let count = weakenings.filter { $0.family == family && $0.byScript == byScript }.count
            return count > 0 ? (family, count) : nil
        }
    }

    /// One line for the operator, or nil when the profile is at least as strict: the counts per family (no
    /// value: it is about the profile).
    public var summary: String? {
        let kept = counts(byScript: false)
        let scripted = counts(byScript: true)
        guard !kept.isEmpty || !scripted.isEmpty else { return nil }
        func list(_ counts: [(Family, Int)]) -> String {
            counts.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", ")
        }
        var parts: [String] = []
        if !kept.isEmpty {
            let total = kept.reduce(0) { $0 + $1.1 }
            parts.append("keeps \(total) attributes the Basic Profile would remove or replace (\(list(kept)))")
        }
        if !scripted.isEmpty {
            let total = scripted.reduce(0) { $0 + $1.1 }
            parts.append("leaves \(total) more to functions or scripts not checked here (\(list(scripted)))")
        }
        return "weaker than the Basic Profile: " + parts.joined(separator: "; ")
            + (kept.isEmpty ? "" : "; outputs claim neither 113100 nor option codes")
    }

    /// The options of the Basic Profile it was compared with.
    public let comparedOptions: Set<ProfileOption>

    init(weakenings: [Weakening]) {
        self.weakenings = weakenings
        self.comparedOptions = []
    }

    /// Compares `rules` with the Basic Profile rules for `options`.
    public init(rules: RuleSet, options: Set<ProfileOption>) {
        let basic = RuleSet(SafetyRules.applied(to: BasicProfileRules.rules(options: options)))
        var weakenings: [Weakening] = []
        for (subject, family, attribute) in Self.subjects() {
            let mine = rules.firstMatch(subject)
            let level = Self.level(mine, vr: subject.vr, options: options)
            let basicLevel = Self.level(basic.firstMatch(subject), vr: subject.vr, options: options)
            if level < basicLevel {
                weakenings.append(Weakening(family: family, attribute: attribute, rule: mine?.origin,
                                            byScript: level == .script))
            }
        }
        weakenings += Self.keptPrivateAttributes(rules: rules, options: options)
        self.weakenings = weakenings
        self.comparedOptions = options
    }

    /// Private attributes a rule keeps by creator (private dispositions, `(gggg,"CREATOR",ee)` rules) where the
    /// Basic Profile would remove them: all of them, or under Retain Safe Private those not on Table E.3.10-1.
    /// A rule after one that takes every private attribute (or everything) is never reached and not counted.
    static func keptPrivateAttributes(rules: RuleSet, options: Set<ProfileOption>) -> [Weakening] {
        var found: [Weakening] = []
        for rule in rules.rules {
            switch rule.matcher {
            case .anyPrivate, .everythingElse: return found
            case .privateAttribute(let key):
                guard level(rule, vr: .UN, options: options) < .derived else { continue }
                if options.contains(.retainSafePrivate),
                   SafePrivateAttributes.isSafe(creator: key.creator, group: key.group, elementByte: key.elementByte) {
                    continue
                }
                found.append(Weakening(family: .private, attribute: "\(key)", rule: rule.origin,
                                       byScript: level(rule, vr: .UN, options: options) == .script))
            case .safePrivate where !options.contains(.retainSafePrivate):
                guard level(rule, vr: .UN, options: options) < .derived else { continue }
                found.append(Weakening(family: .private, attribute: "safe private attributes (without Retain Safe Private)",
                                       rule: rule.origin, byScript: level(rule, vr: .UN, options: options) == .script))
            default: continue
            }
        }
        return found
    }

    /// How strictly an action treats the original value.
    enum Level: Int, Comparable {
        case kept, script, derived, replaced
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    static func level(_ rule: Rule?, vr: VR, options: Set<ProfileOption>) -> Level {
        guard let rule else { return .kept }
        switch rule.action {
        case .keep: return .kept
        case .fixed(let action): return level(action)
        case .tableCode(let code): return level(Profile.resolve(code, vr: vr) { nil }.0)
        case .clean(let fallback, _):
            if options.contains(.retainLongitudinalModifiedDates) {
                if vr == .DA || vr == .DT { return .derived }
                if vr == .TM { return .kept }
            }
            return level(Profile.resolve(fallback, vr: vr) { nil }.0)
        case .pseudonym, .setText: return .replaced
        case .dateByVR:
            if options.contains(.retainLongitudinalFullDates) { return .kept }
            if options.contains(.retainLongitudinalModifiedDates) { return vr == .TM ? .kept : .derived }
            return .replaced
        case .dummyByVR: return level(Profile.dummyItemDecision(vr).action)
        case .script: return .script
        }
    }

    static func level(_ action: Action) -> Level {
        switch action {
        case .keep, .recurse: return .kept
        case .shiftDates: return .derived
        case .remove, .empty, .dummy, .replace, .replaceUID: return .replaced
        }
    }

    /// One subject per Table E.1-1 row, then the attributes the table does not list that the Basic Profile
    /// does not keep.
    static func subjects() -> [(MatchSubject, Family, String)] {
        var subjects: [(MatchSubject, Family, String)] = []
        func subject(_ tag: Tag, _ vr: VR, insideItem: Bool = false, undecoded: Bool = false,
                     insideDummy: Bool = false) -> MatchSubject {
            MatchSubject(tag: tag, vr: vr, isUndecodedSequence: undecoded, isInsideItem: insideItem,
                         isInsideDummiedItem: insideDummy, container: DataSet(), safePrivate: nil)
        }
        for row in ConfidentialityProfileTable.rowsInMatchingOrder {
            let isPrivate = row.groupMask & 1 == 1 && row.tag.group & 1 == 1
            let tag = isPrivate ? Tag(0x0009, 0x1001) : row.tag
            var vr = VR.UN
            if !isPrivate, case .single(let single)? = DataDictionary.vr(for: tag) { vr = single }
            let pattern = TagPattern(group: row.tag.group, element: row.tag.element, groupMask: row.groupMask,
                                     elementMask: row.elementMask)
            subjects.append((subject(tag, vr), family(of: row, vr: vr, isPrivate: isPrivate), "\(pattern) \(row.name)"))
        }
        // A tag no dictionary or table lists, for the rules by VR and the catch-alls.
        let unlisted = Tag(0x0041, 0xFFF0)
        for vr in [VR.DA, .DT, .TM] {
            subjects.append((subject(unlisted, vr), .unlisted, "dates and times Table E.1-1 does not list (VR \(vr))"))
        }
        subjects.append((subject(Tag(0x0002, 0x0010), .UI), .unlisted, "file meta elements inside the data set"))
        subjects.append((subject(Tag(0x0000, 0x0902), .LO), .unlisted, "command group elements inside the data set"))
        subjects.append((subject(Tag(0x6000, 0x3000), .OW), .unlisted, "overlays (60xx,xxxx)"))
        subjects.append((subject(unlisted, .SQ, undecoded: true), .unlisted, "sequences encoded as UN bytes"))
        subjects.append((subject(unlisted, .LO, insideItem: true, insideDummy: true), .unlisted,
                         "text inside dummied sequences"))
        return subjects
    }

    static func family(of row: ProfileRow, vr: VR, isPrivate: Bool) -> Family {
        if isPrivate { return .private }
        let name = row.name
        if name.contains("Institution") { return .institution }
        if vr == .UI || name.hasSuffix("UID") { return .uids }
        if vr == .DA || vr == .DT || vr == .TM { return .dates }
        if vr == .PN { return .names }
        if name.contains(" ID") || name.hasSuffix("ID") || name.contains("Identifier") || name.contains("Number")
            || name.contains("Locator") { return .ids }
        if name.contains("Name") { return .names }
        if name.contains("Date") || name.contains("Time") { return .dates }
        return .other
    }
}
