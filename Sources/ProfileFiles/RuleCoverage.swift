import DICOMCore
import Deidentification

/// Whether one rule's matcher takes every attribute another's would match, so that the later rule, first match
/// winning, can never decide anything.
enum RuleCoverage {
    /// True when every attribute `later` matches is matched by `earlier` too. Conservative: false when it
    /// cannot be told from the matchers alone (a VR rule against a tag, the safe-private list).
    static func covers(_ earlier: RuleMatcher, _ later: RuleMatcher) -> Bool {
        if earlier == later { return true }
        switch (earlier, later) {
        case (.everythingElse, _):
            return true
        case (.anyPrivate, .privateAttribute), (.anyPrivate, .safePrivate):
            return true
        case (.anyPrivate, .tag(let tag)):
            return tag.isPrivate
        case (.group(let group), .tag(let tag)):
            return tag.group == group
        case (.group(let group), .privateAttribute(let key)):
            return key.group == group
        case (.group(let group), .pattern(let pattern)):
            return pattern.groupMask == 0xFFFF && pattern.group == group
        case (.pattern(let pattern), .tag(let tag)):
            return pattern.matches(tag)
        case (.pattern(let outer), .pattern(let inner)):
            // Every digit the outer pattern fixes is fixed to the same value by the inner one.
            return outer.groupMask & ~inner.groupMask == 0 && outer.elementMask & ~inner.elementMask == 0
                && outer.matches(Tag(inner.group, inner.element))
        case (.repeatingGroups(let base), .tag(let tag)):
            return tag.group & 0xFF01 == base && tag.group <= base + 0x1E
        default:
            return false
        }
    }
}
