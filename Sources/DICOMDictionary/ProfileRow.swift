import DICOMCore

/// One row of PS3.15 Table E.1-1 Application Level Confidentiality Profile Attributes.
///
/// A row matches a tag when `tag.group & groupMask == self.tag.group` and
/// `tag.element & elementMask == self.tag.element` (see ``matches(_:)``):
/// - `(0010,0010)`: masks `0xFFFF`, `0xFFFF`;
/// - `(60XX,3000)`, `(50XX,XXXX)`: group mask `0xFF01`, so only the even groups of the repeating group
///   match (odd groups are private); element mask `0x0000` for `XXXX`;
/// - "Private Attributes `(GGGG,EEEE)` where GGGG is odd": tag `(0001,0000)`, masks `0x0001`, `0x0000`.
public struct ProfileRow: Hashable, Sendable {
    /// The row's tag with its masks applied.
    public let tag: Tag
    /// Bits of the group that must equal `tag.group`.
    public let groupMask: UInt16
    /// Bits of the element that must equal `tag.element`.
    public let elementMask: UInt16
    /// The attribute name as Table E.1-1 gives it (decoded on demand: lookups never need it).
    public var name: String { ProfileTables.names[index] }
    /// The table's "In Std. Comp. IOD" column: the attribute is used in a standard composite IOD.
    public let inStdCompIOD: Bool
    /// Position in Table E.1-1 (the standard's order, by name).
    let index: Int

    init(index: Int) {
        self.index = index
        self.tag = Tag(ProfileTables.groups[index], ProfileTables.elements[index])
        self.groupMask = ProfileTables.groupMasks[index]
        self.elementMask = ProfileTables.elementMasks[index]
        self.inStdCompIOD = ProfileTables.codes[index * ProfileTables.stride] != 0
    }

    /// The action a column gives this row; `nil` when the column does not change the row (the Basic
    /// Profile column always has an action).
    /// - Parameter column: the Basic Profile or an option.
    public func action(_ column: ProfileColumn) -> ProfileActionCode? {
        guard let position = ProfileColumn.allCases.firstIndex(of: column) else { return nil }
        return ProfileActionCode(rawValue: ProfileTables.codes[index * ProfileTables.stride + 1 + position])
    }

    /// Whether the row applies to `tag`.
    /// - Parameter tag: a tag as read.
    public func matches(_ tag: Tag) -> Bool {
        tag.group & groupMask == self.tag.group && tag.element & elementMask == self.tag.element
    }
}
