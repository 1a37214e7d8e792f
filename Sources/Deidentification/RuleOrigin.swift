import DICOMCore
import DICOMDictionary

/// Where a rule comes from, so a dry run can name the rule that decided each attribute.
public enum RuleOrigin: Hashable, Sendable, CustomStringConvertible {
    /// A row and column of PS3.15 Table E.1-1.
    case table(ProfileRow, ProfileColumn)
    /// A rule of this tool's built-in profile that Table E.1-1 does not state as a row (PS3.15 E.1.1 text,
    /// E.3.10, or a safety rule).
    case builtIn(String)
    /// A line of a profile, script or disposition file.
    case file(path: String, line: Int)

    public var description: String {
        switch self {
        case .table(let row, let column):
            let pattern = TagPattern(group: row.tag.group, element: row.tag.element, groupMask: row.groupMask,
                                     elementMask: row.elementMask)
            return "Table E.1-1 \(pattern) \(row.name), \(column.title)"
        case .builtIn(let text): return "built-in: \(text)"
        case .file(let path, let line): return "\(path):\(line)"
        }
    }
}

extension ProfileColumn {
    /// The column's heading: "Basic Profile" or the option's name.
    public var title: String {
        ProfileOption.allCases.first { $0.column == self }?.codeMeaning ?? "Basic Profile"
    }
}
