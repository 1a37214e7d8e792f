import DICOMCore

/// A CTP DicomAnonymizer script: parameters, element rules and the `<k>`/`<r>` globals, in file order.
///
/// Made by ``CTPScriptParser/parse(_:file:)`` from either of CTP's two formats; check it with ``validate()``
/// before touching any file, then evaluate rules with ``CTPEvaluator``.
public struct CTPScript: Hashable, Sendable {
    /// The file name used in error messages.
    public var file: String
    /// `<p t="NAME">value</p>`, in file order.
    public var parameters: [CTPParameter]
    /// `<e ...>` rules, in file order, disabled ones included.
    public var elements: [CTPElementRule]
    /// `<k ...>` group and safe-private keeps.
    public var keeps: [CTPKeepRule]
    /// `<r ...>` global removals.
    public var removals: [CTPRemoveRule]

    /// Creates a script from parts.
    public init(file: String, parameters: [CTPParameter] = [], elements: [CTPElementRule] = [],
                keeps: [CTPKeepRule] = [], removals: [CTPRemoveRule] = []) {
        self.file = file
        self.parameters = parameters
        self.elements = elements
        self.keeps = keeps
        self.removals = removals
    }

    /// The value of parameter `name` (without `@`); the last definition wins, as in CTP's properties.
    public func parameter(named name: String) -> String? {
        parameters.last(where: { $0.name == name })?.value
    }

    /// The enabled rule for `tag`; when several are enabled, the last one (CTP keeps the last property).
    public func rule(for tag: Tag) -> CTPElementRule? {
        elements.last(where: { $0.isEnabled && $0.tag == tag })
    }

    /// The enabled rules, one per tag (the last of duplicates), in file order.
    public var enabledRules: [CTPElementRule] {
        var seen = Set<Tag>()
        var out: [CTPElementRule] = []
        for rule in elements.reversed() where rule.isEnabled && seen.insert(rule.tag).inserted { out.append(rule) }
        return out.reversed()
    }

    /// This script with parameter values replaced, as `--ctp-param NAME=VALUE` asks.
    /// - Parameter values: new values by parameter name (without `@`).
    /// - Throws: ``CTPScriptError`` ``CTPScriptError/Code/unknownParameter`` for a name the script does not define.
    public func overriding(parameters values: [String: String]) throws(CTPScriptError) -> CTPScript {
        var copy = self
        for name in values.keys.sorted() {
            guard let value = values[name] else { continue }
            guard copy.parameters.contains(where: { $0.name == name }) else {
                let known = parameters.map(\.name).joined(separator: ", ")
                throw CTPScriptError(.unknownParameter, file: file,
                                     reason: "unknown parameter \(name) (the script defines: \(known.isEmpty ? "none" : known))")
            }
            for index in copy.parameters.indices where copy.parameters[index].name == name {
                copy.parameters[index].value = value.trimmingWhitespace()
            }
        }
        return copy
    }

    /// This script with parameters added or replaced, whether or not it defines them: for profiles meant to be
    /// combined with another that defines them (CTP's option profiles use `@UIDROOT`, `@DATEINC` of the base).
    public func defining(parameters values: [String: String]) -> CTPScript {
        var copy = self
        for name in values.keys.sorted() {
            guard let value = values[name] else { continue }
            copy.parameters.removeAll { $0.name == name }
            copy.parameters.append(CTPParameter(name: name, value: value.trimmingWhitespace(), line: 0))
        }
        return copy
    }
}
