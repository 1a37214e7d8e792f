import DICOMCore
import DICOMDictionary
@testable import Deidentification
import Testing

/// A decision's refinement renders as the dry run and the inventory report show it, and two decisions count as
/// one row exactly when their texts are the same.
struct DecisionRefinementTests {
    @Test func tableResolutionsRenderAsTheyAreShown() {
        let cases: [(ProfileActionCode, VR, AttributeType?, String)] = [
            (.dummy, .PN, nil, "E.1-1 D"),
            (.remove, .LO, .type3, "E.1-1 X"),
            (.remove, .PN, .type2C, "E.1-1 X, Type 2C -> Z (the IOD requires it)"),
            (.remove, .UI, .type1, "E.1-1 X, Type 1 -> D (the IOD requires it)"),
            (.removeOrZeroOrDummy, .PN, .type2, "E.1-1 X/Z/D, Type 2 -> Z"),
            (.zeroOrDummy, .SH, nil, "E.1-1 Z/D, not in IOD -> Z"),
            (.removeOrZeroOrReplaceUID, .SQ, .type3, "E.1-1 X/Z/U*, Type 3 -> U (references kept, UIDs mapped)"),
            (.removeOrZeroOrReplaceUID, .UI, .type1C, "E.1-1 X/Z/U*, Type 1C -> U"),
        ]
        for (code, vr, type, text) in cases {
            let resolved = Profile.tableDecision(code, vr: vr) { type }
            #expect(DecisionRefinement.table(resolved.resolution).description == text, "\(code) \(vr) \(String(describing: type))")
        }
    }

    @Test func compositeRefinementsAppendToTheirBase() {
        let base = DecisionRefinement.table(.byType(.removeOrZeroOrDummy, .type2, to: .zero))
        #expect(DecisionRefinement.unusableDate(base, .emptied).description
                == "E.1-1 X/Z/D, Type 2 -> Z; value not a valid date, emptied (Type 2)")
        #expect(DecisionRefinement.itemsDummied(.table(.code(.dummy))).description == "E.1-1 D; items kept, values dummied")
        #expect(DecisionRefinement.notCleaned(.retainLongitudinalModifiedDates, basicProfile: .code(.remove)).description
                == "E.1-1 C (\(ProfileOption.retainLongitudinalModifiedDates.rawValue)) has no cleaning rule here; Basic Profile X")
    }

    /// The inventory counts decisions by value: a resolution that renders like another must be equal to it, or one
    /// row would show the same action and rule twice.
    @Test func equalTextsAreEqualResolutions() {
        var byText: [String: Set<Decision>] = [:]
        for code in ProfileActionCode.allCases {
            for vr in [VR.UI, .SQ, .CS, .PN, .DA] {
                for type in [nil] + AttributeType.allCases.map(Optional.some) {
                    let resolved = Profile.tableDecision(code, vr: vr) { type }
                    let decision = Decision(resolved.action, .table(resolved.resolution))
                    byText["\(decision.action) \(decision.refinement)", default: []].insert(decision)
                }
            }
        }
        for (text, decisions) in byText { #expect(decisions.count == 1, "\(text): \(decisions)") }
        #expect(byText.count > 20)
    }
}
