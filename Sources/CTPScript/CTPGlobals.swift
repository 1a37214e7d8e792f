import DICOMCore

/// The script-wide `<k>` and `<r>` settings, and CTP's built-in keeps, for the caller that walks a data set.
///
/// CTP's order for an element without a rule: removed if private and ``removesPrivateGroups`` unless kept;
/// else removed if ``removesUnspecifiedElements`` unless kept; else overlays removed if ``removesOverlays``.
/// An element with a rule is evaluated instead (unless one of the first two removals applies, which needs it to
/// have no rule).
public struct CTPGlobals: Hashable, Sendable {
    /// Groups kept by enabled `<k t="gggg">`.
    public var keptGroups: Set<UInt16>
    /// Enabled `<k t="safeprivateelements">`.
    public var keepsSafePrivateElements: Bool
    /// Enabled `<r t="privategroups">`.
    public var removesPrivateGroups: Bool
    /// Enabled `<r t="unspecifiedelements">`.
    public var removesUnspecifiedElements: Bool
    /// Enabled `<r t="overlays">` (groups 60xx).
    public var removesOverlays: Bool
    /// Enabled `<r t="curves">` (groups 50xx).
    public var removesCurves: Bool

    /// The settings of `script`'s enabled globals.
    public init(script: CTPScript) {
        keptGroups = []
        keepsSafePrivateElements = false
        for keep in script.keeps where keep.isEnabled {
            switch keep.target {
            case .group(let group): keptGroups.insert(group)
            case .safePrivateElements: keepsSafePrivateElements = true
            }
        }
        let removals = Set(script.removals.filter(\.isEnabled).map(\.target))
        removesPrivateGroups = removals.contains(.privateGroups)
        removesUnspecifiedElements = removals.contains(.unspecifiedElements)
        removesOverlays = removals.contains(.overlays)
        removesCurves = removals.contains(.curves)
    }

    /// Whether an enabled `<k>` keeps `tag`'s group.
    public func keepsGroup(of tag: Tag) -> Bool { keptGroups.contains(tag.group) }

    /// CTP's `keep` test for an element (before any rule), given whether the private tag index lists a private
    /// element as safe: a kept group; a private creator or safe private element with safe-private keeping on;
    /// SOPClassUID, SOPInstanceUID, StudyInstanceUID; groups 0002, 0028, 7FE0; overlays (60xx) and curves
    /// (50xx) unless removed (or private with private groups removed).
    public func isKept(_ tag: Tag, isSafePrivate: Bool = false) -> Bool {
        let group = tag.group
        let isPrivate = group & 1 == 1
        let isCreator = isPrivate && tag.element & 0xFF00 == 0
        let isOverlay = group & 0xFF00 == 0x6000
        let isCurve = group & 0xFF00 == 0x5000
        return keepsGroup(of: tag)
            || (isCreator && keepsSafePrivateElements)
            || (isSafePrivate && keepsSafePrivateElements)
            || tag == Tag(0x0008, 0x0016) || tag == Tag(0x0008, 0x0018) || tag == Tag(0x0020, 0x000D)
            || group == 0x0002 || group == 0x0028 || group == 0x7FE0
            || (isOverlay && !removesOverlays && !(isPrivate && removesPrivateGroups))
            || (isCurve && !removesCurves && !(isPrivate && removesPrivateGroups))
    }
}
