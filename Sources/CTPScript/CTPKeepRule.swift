/// A group keep: `<k en="T" t="0018" n="..."/>` / `keep.group0018=...`, or the safe private elements keep
/// `<k en="T" t="safeprivateelements"/>` / `keep.safeprivateelements=...`.
public typealias CTPKeepRule = CTPGlobalRule<CTPKeepTarget>

/// What a `<k>` global keeps.
public enum CTPKeepTarget: Hashable, Sendable {
    /// Every element of this group that has no rule of its own.
    case group(UInt16)
    /// Private elements the CTP private tag index lists as safe (code `K`), and their creators.
    case safePrivateElements
}
