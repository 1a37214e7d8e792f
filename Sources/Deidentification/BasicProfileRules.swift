import DICOMCore
import DICOMDictionary

/// The Basic Application Level Confidentiality Profile and its options as an ordered rule list
/// (PS3.15 E.1.1, Table E.1-1, E.3).
///
/// The order is the order of precedence: private attributes first (safe ones kept under Retain Safe
/// Private, the rest removed), then the rules the table does not state as rows, then one rule per
/// Table E.1-1 row (exact tags, then patterns, most specific first) with the options already folded in,
/// then dates by VR and "keep everything else". ``Profile`` puts ``SafetyRules`` ahead of them.
enum BasicProfileRules {
    /// The rules for `options`. Where options disagree on a row, Retain (K) wins over Clean (C), which wins
    /// over the Basic Profile; within each, the first option in CID 7050 order names the rule.
    static func rules(options: Set<ProfileOption>) -> [Rule] {
        var rules: [Rule] = []
        if options.contains(.retainSafePrivate) {
            rules.append(Rule(.safePrivate, .keep, origin: .table(privateRow, .rtnSafePrivOpt),
                              note: "safe private attribute (Retain Safe Private)"))
        }
        rules.append(Rule(.anyPrivate, .fixed(.remove), origin: .table(privateRow, .basicProfile), note: "private attribute"))
        rules.append(Rule(.tag(.patientID), .pseudonym, origin: .builtIn("Patient ID pseudonym")))
        rules.append(Rule(.tag(.patientName), .pseudonym, origin: .builtIn("Patient Name pseudonym")))
        rules.append(Rule(.unlistedInDummiedItem, .dummyByVR, origin: .builtIn("inside a dummied sequence")))
        rules.append(Rule(.repeatingGroups(base: 0x6000), .fixed(.remove), origin: .builtIn("overlay group 60xx")))
        let sortedOptions = options.sorted()
        for row in ConfidentialityProfileTable.rowsInMatchingOrder {
            let basic = row.action(.basicProfile) ?? .remove
            let matcher = RuleMatcher.pattern(TagPattern(group: row.tag.group, element: row.tag.element,
                                                         groupMask: row.groupMask, elementMask: row.elementMask))
            if let retain = sortedOptions.first(where: { row.action($0.column) == .keep }) {
                rules.append(Rule(matcher, .keep, origin: .table(row, retain.column), note: "E.1-1 K (\(retain.rawValue))"))
            } else if let clean = sortedOptions.first(where: { row.action($0.column) == .clean }) {
                rules.append(Rule(matcher, .clean(fallback: basic, option: clean), origin: .table(row, clean.column)))
            } else {
                rules.append(Rule(matcher, .tableCode(basic), origin: .table(row, .basicProfile)))
            }
        }
        for vr in [VR.DA, .DT, .TM] {
            rules.append(Rule(.vr(vr), .dateByVR, origin: .builtIn("date/time by VR (not in Table E.1-1)")))
        }
        rules.append(Rule(.everythingElse, .keep, origin: .builtIn("not in Table E.1-1")))
        return rules
    }

    /// Table E.1-1's row for private attributes (odd groups).
    static let privateRow: ProfileRow = {
        guard let row = ConfidentialityProfileTable.row(for: Tag(0x0009, 0x1001)) else {
            preconditionFailure("Table E.1-1 has no row for private attributes")
        }
        return row
    }()
}
