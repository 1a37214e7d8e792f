import DICOMCore
import Deidentification

/// Checks of profile parameters (native `parameters:`, CTP `<p>` values and `--ctp-param`), before anything is
/// written: a shipped template's placeholder left in place would be written into every output, and a UID root
/// that is not one makes every new UID invalid.
public enum ProfileParameters {
    /// Text that marks a value as a template's placeholder, compared without case.
    public static let placeholderMarks = ["xxxx", "insert your", "insert prefix", "enter your", "abcd-wxyz", "replace-"]

    /// The placeholder mark `value` holds, or nil.
    public static func placeholder(in value: String) -> String? {
        let lower = value.lowercased()
        return placeholderMarks.first { lower.contains($0) }
    }

    /// Refuses the first parameter (by name) whose value still holds a placeholder.
    /// - Parameter line: the line of a parameter in `file`, when known.
    /// - Throws: ``ProfileFileError`` naming the file, the line and the parameter (not its whole value).
    static func checkNoPlaceholders(_ parameters: [String: String], file: String,
                                    line: (String) -> Int?) throws(ProfileFileError) {
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            if let mark = placeholder(in: value) {
                throw ProfileFileError(file: file, line: line(name),
                    "parameter \(name) is still the placeholder of the template ('\(mark)'): give it a value")
            }
        }
    }

    /// Refuses a profile that removes or empties an attribute every output needs (SOP Class UID, SOP Instance
    /// UID), naming the rule's file and line: otherwise every file would fail, as if the input lacked it.
    static func checkRequiredAttributes(_ profile: Profile, file: String) throws(ProfileFileError) {
        guard let (rule, tag, name) = profile.ruleRemovingRequiredAttribute else { return }
        var path = file, line: Int? = nil
        if case .file(let rulePath, let ruleLine) = rule.origin { path = rulePath; line = ruleLine == 0 ? nil : ruleLine }
        throw ProfileFileError(file: path, line: line,
            "the rule for \(rule.matcher) removes \(tag) \(name), which every output needs: map it (new-uid, @hashuid) instead")
    }

    /// What is wrong with `value` as a UID root (the part new UIDs start with), or nil: digits and dots,
    /// components without leading zeros, short enough to leave room for a suffix (at most 48 characters, as
    /// CTP's UID functions append a long number).
    public static func uidRootProblem(_ value: String) -> String? {
        var root = value
        while root.hasSuffix(".") { root.removeLast() }
        guard !root.isEmpty, isUIDShaped(root) else { return "not a UID root (digits and dots)" }
        for component in root.split(separator: ".", omittingEmptySubsequences: false) {
            if component.isEmpty { return "not a UID root (an empty component)" }
            if component.count > 1, component.first == "0" { return "not a UID root (a component with a leading zero)" }
        }
        if root.utf8.count > 48 { return "a UID root of \(root.utf8.count) characters leaves no room for the rest of a UID (at most 48)" }
        return nil
    }
}
