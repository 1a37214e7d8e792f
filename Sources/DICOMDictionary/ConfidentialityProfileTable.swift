import DICOMCore

/// PS3.15 Table E.1-1 Application Level Confidentiality Profile Attributes (DICOM 2024e): for each
/// attribute, the action of the Basic Profile and of each option.
///
/// Generated from `Standard/2024e/confidentiality-profile.tsv`, the project's distillation of
/// `shared/standard/confidentiality_profile_attributes.json`.
public enum ConfidentialityProfileTable {
    /// The row for a tag: the row with exactly that tag, else the most specific pattern row
    /// (`(60XX,3000)` before `(50XX,XXXX)` before "private attributes, odd groups").
    ///
    /// Binary search, then at most four pattern checks.
    /// - Parameter tag: a tag as read.
    public static func row(for tag: Tag) -> ProfileRow? {
        if let exact = SortedSearch.index(of: tag.combined, in: ProfileTables.exactTags) {
            return ProfileRow(index: Int(ProfileTables.exactRows[exact]))
        }
        for index in ProfileTables.patternRows {
            let row = Int(index)
            if tag.group & ProfileTables.groupMasks[row] == ProfileTables.groups[row],
               tag.element & ProfileTables.elementMasks[row] == ProfileTables.elements[row] {
                return ProfileRow(index: row)
            }
        }
        return nil
    }

    /// Every row, in the standard's order. Built on each call.
    public static var allRows: [ProfileRow] {
        (0..<ProfileTables.names.count).map { ProfileRow(index: $0) }
    }

    /// Every row in the order ``row(for:)`` consults them: the rows with exact tags (by tag), then the pattern
    /// rows, most specific first. The first row of this list that matches a tag is the row for that tag.
    public static var rowsInMatchingOrder: [ProfileRow] {
        ProfileTables.exactRows.map { ProfileRow(index: Int($0)) } + ProfileTables.patternRows.map { ProfileRow(index: Int($0)) }
    }
}
