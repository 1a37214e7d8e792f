import DICOMCore
import Deidentification
import Testing

/// Issue 22: every profile gets the safety rules from ``Profile`` itself, whatever its source, once.
struct SafetyRuleTests {
    static let keepAll = [Rule(.everythingElse, .keep, origin: .builtIn("keep everything"))]

    @Test func aProfileOfOwnRulesGetsThemAroundItsCatchAll() {
        let rules = Profile(options: [], rules: Self.keepAll, name: "a").rules.rules
        #expect(rules.map(\.matcher) == [.group(0x0000), .group(0x0002), .groupLengthInItem, .undecodedSequence,
                                         .anyPrivate, .everythingElse])
        guard case .fixed(.remove) = rules[4].action else {
            Issue.record("private attributes no rule names are not removed")
            return
        }
    }

    @Test func aProfileBuiltFromAnotherHoldsThemOnce() {
        let first = Profile(options: [], rules: Self.keepAll, name: "a")
        let second = Profile(options: [], rules: first.rules.rules, name: "b")
        #expect(second.rules.rules.count == first.rules.rules.count)
    }

    @Test func aCatchAllThatRemovesNeedsNoPrivateRule() {
        let rules = Profile(options: [], rules: [Rule(.everythingElse, .fixed(.remove), origin: .builtIn("remove"))],
                            name: "a").rules.rules
        #expect(!rules.contains { $0.matcher == .anyPrivate })
    }

    @Test func theBuiltInProfileHasThemFirst() {
        let rules = Profile(options: []).rules.rules
        #expect(Array(rules.prefix(4).map(\.matcher)) == [.group(0x0000), .group(0x0002), .groupLengthInItem,
                                                           .undecodedSequence])
    }
}
