import DICOMCore
import DICOMDictionary
import Deidentification
import Foundation

/// The text form of a ``RuleMatcher`` in profile files:
/// - a keyword (`SeriesDescription`) or a tag `(0008,103E)`;
/// - a tag pattern with `x` digits: `(50xx,xxxx)`, `(0018,xxxx)`;
/// - a private attribute by group, creator and element byte: `(0019,"SIEMENS MR HEADER",0C)`;
/// - `group 0018`, `vr PN`;
/// - `private` (every private attribute), `safe-private` (Table E.3.10-1 and the instance's own
///   declarations), `overlays` (groups 6000-601E), `everything-else`.
enum RuleMatcherSyntax {
    /// The matcher, or nil when `text` is none of the forms above.
    static func parse(_ text: String) -> RuleMatcher? {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "private": return .anyPrivate
        case "safe-private": return .safePrivate
        case "overlays": return .repeatingGroups(base: 0x6000)
        case "everything-else": return .everythingElse
        default: break
        }
        if t.lowercased().hasPrefix("group ") {
            let digits = t.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard digits.count == 4, let group = UInt16(digits, radix: 16) else { return nil }
            return .group(group)
        }
        if t.lowercased().hasPrefix("vr ") {
            let code = Array(t.dropFirst(3).trimmingCharacters(in: .whitespaces).uppercased().utf8)
            guard code.count == 2 else { return nil }
            let vr = VR(byte0: code[0], byte1: code[1])
            guard VR.allKnown.contains(vr) else { return nil }
            return .vr(vr)
        }
        if t.hasPrefix("(") {
            if let key = privateKey(t) { return .privateAttribute(key) }
            guard let pattern = TagPattern(Substring(t)) else { return nil }
            return pattern.isExact ? .tag(Tag(pattern.group, pattern.element)) : .pattern(pattern)
        }
        guard let tag = DataDictionary.tag(forKeyword: t) else { return nil }
        return .tag(tag)
    }

    /// `(gggg,"creator",ee)`.
    private static func privateKey(_ text: String) -> PrivateAttributeKey? {
        guard text.hasSuffix(")"), let open = text.firstIndex(of: "\""), let close = text.lastIndex(of: "\""),
              open < close else { return nil }
        let groupText = text[text.index(after: text.startIndex)..<open].trimmingCharacters(in: .whitespaces)
        guard groupText.hasSuffix(",") else { return nil }
        let creator = String(text[text.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        let rest = text[text.index(after: close)..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix(","), let group = UInt16(groupText.dropLast().trimmingCharacters(in: .whitespaces), radix: 16),
              group & 1 == 1, !creator.isEmpty else { return nil }
        let byteText = rest.dropFirst().trimmingCharacters(in: .whitespaces)
        guard byteText.count == 2, let byte = UInt8(byteText, radix: 16) else { return nil }
        return PrivateAttributeKey(group: group, creator: creator, elementByte: byte)
    }
}
