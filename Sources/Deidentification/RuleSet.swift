import DICOMCodec
import DICOMCore
import DICOMDictionary

/// An ordered list of rules, indexed for lookup: the first rule that matches an element decides it.
///
/// Exact tags and private attribute keys are found by hashing; the other matchers (patterns, groups, VRs,
/// the catch-alls) are few and are checked in order, only those that come before the hashed candidate.
public struct RuleSet: Sendable {
    public let rules: [Rule]
    private var byTag: [Tag: Int] = [:]
    private var byPrivateKey: [PrivateAttributeKey: Int] = [:]
    /// Rules with neither a tag nor a private key, with their position.
    private var scanned: [(index: Int, matcher: RuleMatcher)] = []

    public init(_ rules: [Rule]) {
        self.rules = rules
        self.usesSafePrivate = rules.contains { if case .safePrivate = $0.matcher { return true }; return false }
        for (index, rule) in rules.enumerated() {
            switch rule.matcher {
            case .tag(let tag): if byTag[tag] == nil { byTag[tag] = index }
            case .pattern(let pattern) where pattern.isExact:
                let tag = Tag(pattern.group, pattern.element)
                if byTag[tag] == nil { byTag[tag] = index }
            case .privateAttribute(let key): if byPrivateKey[key] == nil { byPrivateKey[key] = index }
            default: scanned.append((index, rule.matcher))
            }
        }
    }

    /// Whether a rule keeps safe private attributes (then the instance's own declarations are read).
    public let usesSafePrivate: Bool

    /// The first rule that matches `subject`, or nil.
    func firstMatch(_ subject: MatchSubject) -> Rule? {
        var best = byTag[subject.tag] ?? Int.max
        if subject.tag.isPrivate, !byPrivateKey.isEmpty, let key = subject.privateKey(),
           let index = byPrivateKey[key], index < best {
            best = index
        }
        for (index, matcher) in scanned {
            if index >= best { break }
            if subject.matches(matcher) { return rules[index] }
        }
        return best == Int.max ? nil : rules[best]
    }
}

/// What a matcher needs to know about one element.
struct MatchSubject {
    let tag: Tag
    /// The VR that decides (the dictionary's for a standard attribute written as UN).
    let vr: VR
    let isUndecodedSequence: Bool
    let isInsideItem: Bool
    let isInsideDummiedItem: Bool
    /// The data set holding the element, for its private creator.
    let container: DataSet
    /// The instance's safe private blocks, when the Retain Safe Private Option is in force.
    let safePrivate: SafePrivateBlocks?

    /// The private creator of the element's block in its data set.
    var creator: String? { tag.isPrivate ? container.privateCreator(of: tag) : nil }

    func privateKey() -> PrivateAttributeKey? {
        creator.map { PrivateAttributeKey(tag: tag, creator: $0) }
    }

    func matches(_ matcher: RuleMatcher) -> Bool {
        switch matcher {
        case .tag(let t): return t == tag
        case .pattern(let pattern): return pattern.matches(tag)
        case .repeatingGroups(let base):
            return tag.group & 0xFF01 == base && tag.group <= base + 0x1E
        case .privateAttribute(let key): return tag.isPrivate && privateKey() == key
        case .group(let group): return tag.group == group
        case .vr(let v): return vr == v
        case .safePrivate:
            guard tag.isPrivate, let safePrivate, let creator else { return false }
            return safePrivate.isSafe(tag, creator: creator)
        case .anyPrivate: return tag.isPrivate
        case .groupLengthInItem: return isInsideItem && tag.isGroupLength
        case .undecodedSequence: return isUndecodedSequence
        case .unlistedInDummiedItem:
            return isInsideDummiedItem && ConfidentialityProfileTable.row(for: tag) == nil
        case .everythingElse: return true
        }
    }
}
