import DICOMCore
import DICOMDictionary

/// An element named in a function argument: `this` (the rule's own element), a DICOM keyword (`PatientID`),
/// a tag (`[0010,0020]`, `(0010,0020)`, `00100020`) or a private element named by another rule of the script.
enum CTPElementReference: Hashable, Sendable {
    /// The element the rule is for.
    case this
    /// A named or numbered element.
    case tag(Tag)

    /// Resolves `text`; nil when it names nothing known.
    /// - Parameter privateNames: the `n` names of the script's private-element rules (CTP indexes these).
    static func resolve(_ text: String, privateNames: [String: Tag]) -> CTPElementReference? {
        var name = text.trimmingWhitespace()
        if name.isEmpty || name == "this" { return .this }
        if name.count >= 2, (name.hasPrefix("[") && name.hasSuffix("]")) || (name.hasPrefix("(") && name.hasSuffix(")")) {
            name = String(name.dropFirst().dropLast()).trimmingWhitespace()
            if let tag = Tag(parsing: Substring(name)) { return .tag(tag) }
        }
        if name.count == 8 || (name.count == 9 && name.contains(",")), let tag = Tag(parsing: Substring(name)) {
            return .tag(tag)
        }
        if let tag = DataDictionary.tag(forKeyword: name) { return .tag(tag) }
        if let tag = privateNames[name] { return .tag(tag) }
        return nil
    }

    /// The private element names of a script's enabled rules, as CTP's context indexes them.
    static func privateNames(of script: CTPScript) -> [String: Tag] {
        var names: [String: Tag] = [:]
        for rule in script.elements where rule.isEnabled && rule.tag.group & 1 == 1 && !rule.name.isEmpty {
            names[rule.name] = rule.tag
        }
        return names
    }
}
