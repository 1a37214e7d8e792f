import DICOMCore
import Deidentification
import Foundation
import Yams

/// A profile written by a site in the native YAML format (see docs/profiles.md):
///
/// ```yaml
/// version: 1                        # required: the format this reader knows
/// base: basic                       # the Basic Profile rules, or `none` to write every rule yourself
/// options: [retainLongitudinalModifiedDates, cleanDescriptors]
/// parameters:
///   SITE: "Site 7"
/// private-dispositions: [../private/ps3.15-e.3.10-1-safe.csv]
/// rules:                            # first match wins, before the base profile's rules
///   - match: SeriesDescription
///     action: keep
///   - match: InstitutionName
///     action: set
///     value: "{SITE}"
/// ```
public struct ProfileDefinition: Sendable {
    /// Whether the Basic Profile's rules follow the file's own.
    public enum Base: String, Sendable { case basic, none }

    public var base: Base
    public var options: Set<ProfileOption>
    public var parameters: [String: String]
    /// The file's rules, then its private dispositions, in order.
    public var rules: [Rule]

    /// The profile: the file's rules, then (for `base: basic`) the Basic Profile rules with the options.
    /// - Parameter name: how De-identification Method names it (the file name).
    public func makeProfile(name: String) -> Profile {
        Profile(options: options, rules: rules + (base == .basic ? Profile.basicRules(options: options) : []),
                name: name)
    }
}

/// Reads ``ProfileDefinition`` files.
public enum NativeProfileParser {
    /// Compiles the text of a `function` rule (a CTP function call such as `@hash(this,16)`) into a script;
    /// the arguments are the text, the profile's parameters, the file and the line. Without one, `function`
    /// rules are refused.
    public typealias FunctionCompiler = @Sendable (String, [String: String], String, Int) throws(ProfileFileError) -> any ElementScript

    /// Reads the profile at `path`; disposition files it names are read relative to it.
    /// - Throws: ``ProfileFileError`` naming the file, the line and the rule.
    public static func load(path: String, functions: FunctionCompiler? = nil) throws(ProfileFileError) -> ProfileDefinition {
        let text = try ProfileText.read(path, what: "profile")
        return try parse(text, file: path, functions: functions)
    }

    /// Parses profile `text`; `file` names it in errors and rule origins and anchors relative paths.
    public static func parse(_ text: String, file: String, functions: FunctionCompiler? = nil) throws(ProfileFileError) -> ProfileDefinition {
        try checkNesting(text, file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ProfileFileError(file: file, line: nil, "empty profile")
            }
            root = node
        } catch let error as ProfileFileError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw ProfileFileError(file: file, line: nil, "malformed YAML")
        }
        guard let mapping = root.mapping else {
            throw ProfileFileError(file: file, line: root.mark?.line, "the profile must be a mapping (base:, options:, rules:, ...)")
        }
        var budget = maximumNodes
        try checkDuplicateKeys(root, file: file, budget: &budget)
        var sawVersion = false
        var definition = ProfileDefinition(base: .basic, options: [], parameters: [:], rules: [])
        var dispositionPaths: [(String, Int?)] = []
        var ruleNodes: [Node] = []
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            switch key {
            case "version":
                // The scalar's text, not Yams' `int`: that reads YAML 1.1 base-60 numbers (`1:20`) and traps on
                // overflow (found by fuzzing: `version: 44444:4444444444:5`).
                guard value.scalar?.string == "1" else {
                    throw ProfileFileError(file: file, line: line, "unsupported version (this tool reads version 1)")
                }
                sawVersion = true
            case "base":
                guard let base = value.string.flatMap(ProfileDefinition.Base.init(rawValue:)) else {
                    throw ProfileFileError(file: file, line: line, "base must be 'basic' or 'none'")
                }
                definition.base = base
            case "options":
                for item in try list(value, key: key, file: file) {
                    guard let name = item.string, let option = ProfileOption(rawValue: name) else {
                        throw ProfileFileError(file: file, line: item.mark?.line,
                            "unknown option '\(item.string ?? "?")' (one of \(ProfileOption.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    definition.options.insert(option)
                }
            case "parameters":
                guard let parameters = value.mapping else {
                    throw ProfileFileError(file: file, line: line, "parameters must be a mapping of NAME: value")
                }
                for (name, parameter) in parameters {
                    guard let n = name.string, let v = parameter.string else {
                        throw ProfileFileError(file: file, line: name.mark?.line, "parameter values must be text")
                    }
                    definition.parameters[n] = v
                }
            case "private-dispositions":
                for item in try list(value, key: key, file: file) {
                    guard let path = item.string else {
                        throw ProfileFileError(file: file, line: item.mark?.line, "private-dispositions lists file paths")
                    }
                    dispositionPaths.append((path, item.mark?.line))
                }
            case "rules":
                ruleNodes = try list(value, key: key, file: file)
            default:
                throw ProfileFileError(file: file, line: line,
                    "unknown key '\(key)' (version, base, options, parameters, private-dispositions, rules)")
            }
        }
        // A profile without its format version may be meant for another reader: refused, not guessed.
        guard sawVersion else {
            throw ProfileFileError(file: file, line: nil, "no version: (write 'version: 1' first)")
        }
        try ProfileParameters.checkNoPlaceholders(definition.parameters, file: file, line: { name in
            mapping.first { $0.key.string == "parameters" }?.value.mapping?.first { $0.key.string == name }?.key.mark?.line
        })
        for (index, node) in ruleNodes.enumerated() {
            definition.rules.append(try rule(node, number: index + 1, parameters: definition.parameters, file: file,
                                             functions: functions))
        }
        try checkReachable(definition.rules, file: file)
        let directory = (file as NSString).deletingLastPathComponent
        if let catchAll = definition.rules.first(where: { $0.matcher == .everythingElse }), let (_, line) = dispositionPaths.first {
            throw ProfileFileError(file: file, line: line,
                "private-dispositions can never match: the file's rules end with the everything-else rule at \(catchAll.origin), and dispositions come after them")
        }
        for (path, _) in dispositionPaths {
            let resolved = path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
            definition.rules += try PrivateDispositions.load(path: resolved)
        }
        try ProfileParameters.checkRequiredAttributes(definition.makeProfile(name: file), file: file)
        if definition.base == .none, !definition.rules.contains(where: { if case .everythingElse = $0.matcher { return true }; return false }) {
            throw ProfileFileError(file: file, line: nil,
                "a profile with base: none must have an 'everything-else' rule, so no attribute is left undecided")
        }
        return definition
    }

    /// Most nodes a profile may have once aliases are expanded: YAML aliases let a small file describe an
    /// exponentially large tree ("billion laughs"), which no walk over it may follow to the end.
    static let maximumNodes = 200_000

    /// Refuses a mapping that names a key twice, at any level: YAML leaves it to the reader, and taking the last
    /// one silently drops the first (a second `rules:` block, a rule with two `action:` lines).
    private static func checkDuplicateKeys(_ node: Node, file: String, budget: inout Int) throws(ProfileFileError) {
        budget -= 1
        if budget < 0 {
            throw ProfileFileError(file: file, line: node.mark?.line,
                "more than \(maximumNodes) nodes once aliases are expanded: not a profile")
        }
        switch node {
        case .mapping(let mapping):
            var seen: [String: Int] = [:]
            for (key, value) in mapping {
                let name = key.string ?? "\(key)"
                if let first = seen[name] {
                    throw ProfileFileError(file: file, line: key.mark?.line,
                        "key '\(name)' given twice in one mapping (first on line \(first)): YAML would keep only the last")
                }
                seen[name] = key.mark?.line ?? 0
                try checkDuplicateKeys(value, file: file, budget: &budget)
            }
        case .sequence(let sequence):
            for item in sequence { try checkDuplicateKeys(item, file: file, budget: &budget) }
        default:
            break
        }
    }

    /// Refuses a rule no attribute can reach: one after an `everything-else` rule, or one whose matcher an
    /// earlier rule of the file covers entirely (first match wins, so it would never decide anything). An
    /// error rather than a warning: the author meant the rule to act, and the profile would do otherwise.
    private static func checkReachable(_ rules: [Rule], file: String) throws(ProfileFileError) {
        for (index, rule) in rules.enumerated() {
            for earlier in rules[..<index] where RuleCoverage.covers(earlier.matcher, rule.matcher) {
                let line: Int?
                if case .file(_, let l) = rule.origin { line = l } else { line = nil }
                throw ProfileFileError(file: file, line: line,
                    "rule \(index + 1) can never match: the earlier rule at \(earlier.origin) (\(earlier.matcher)) decides everything it matches")
            }
        }
    }

    /// Deepest nesting a profile may have: flow collections (`[`, `{`) and indentation. A profile needs a few
    /// levels; the YAML parser recurses per level, so a crafted file could otherwise exhaust the stack.
    static let maximumNesting = 64
    static let maximumIndentation = 256

    /// Refuses text nested deeper than a profile can need, before the YAML parser sees it.
    private static func checkNesting(_ text: String, file: String) throws(ProfileFileError) {
        var depth = 0, line = 1, column = 0
        var quote: UInt8? = nil, comment = false, leading = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1; column = 0; comment = false; leading = true
                continue
            }
            column += 1
            if leading {
                // Indentation, and the compact nesting of `- - - x` or `? ? x`, count as depth.
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") {
                    if column > maximumIndentation {
                        throw ProfileFileError(file: file, line: line, "nested too deeply (more than \(maximumIndentation) columns of indentation and - or ? markers)")
                    }
                    continue
                }
                leading = false
            }
            if comment { continue }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "#"): comment = true
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = byte
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumNesting {
                    throw ProfileFileError(file: file, line: line, "nested deeper than \(maximumNesting) levels")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
    }

    /// One entry of `rules`.
    private static func rule(_ node: Node, number: Int, parameters: [String: String], file: String,
                             functions: FunctionCompiler?) throws(ProfileFileError) -> Rule {
        let line = node.mark?.line ?? 0
        func fail(_ message: String) -> ProfileFileError {
            ProfileFileError(file: file, line: line, "rule \(number): \(message)")
        }
        guard let fields = node.mapping else { throw fail("must be a mapping with match: and action:") }
        var match: String?, actionName: String?, value: String?, note: String?
        for (key, item) in fields {
            switch key.string ?? "" {
            case "match": match = item.string
            case "action": actionName = item.string
            case "value": value = item.string
            case "note": note = item.string
            default: throw fail("unknown key '\(key.string ?? "?")' (match, action, value, note)")
            }
        }
        guard let match else { throw fail("no match:") }
        guard let matcher = RuleMatcherSyntax.parse(match) else {
            throw fail("cannot read match '\(match)' (a keyword, (gggg,eeee), (50xx,xxxx), (gggg,\"CREATOR\",ee), group gggg, vr XX, private, safe-private, overlays or everything-else)")
        }
        guard let actionName else { throw fail("no action:") }
        guard let name = RuleActionName(rawValue: actionName) else {
            throw fail("unknown action '\(actionName)' (\(RuleActionName.list))")
        }
        let origin = RuleOrigin.file(path: file, line: line)
        let action: RuleAction
        if let fixed = name.fixedAction {
            if value != nil { throw fail("action \(actionName) takes no value") }
            action = fixed
        } else if name == .set {
            guard let value else { throw fail("action set needs a value:") }
            let text = try substitute(value, parameters: parameters, fail: fail)
            if let problem = SetValueCheck.problem(text, for: matcher) { throw fail("value of set: \(problem)") }
            action = .setText(text)
        } else {
            guard let value else { throw fail("action function needs a value: (a CTP function call, e.g. '@hash(this,16)')") }
            guard let functions else { throw fail("function rules are not available here") }
            action = .script(try functions(value, parameters, file, line))
        }
        return Rule(matcher, action, origin: origin, note: note ?? "\(actionName) (rule \(number))")
    }

    /// `{NAME}` replaced by the parameter's value.
    private static func substitute(_ text: String, parameters: [String: String],
                                   fail: (String) -> ProfileFileError) throws(ProfileFileError) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { throw fail("unclosed { in value") }
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = parameters[name] else { throw fail("unknown parameter {\(name)}") }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private static func list(_ node: Node, key: String, file: String) throws(ProfileFileError) -> [Node] {
        if node.scalar != nil, node.string == "" { return [] }
        guard let sequence = node.sequence else {
            throw ProfileFileError(file: file, line: node.mark?.line, "\(key) must be a list")
        }
        return Array(sequence)
    }

    /// Yams errors as one line with the position.
    private static func yamlError(_ error: YamlError, file: String) -> ProfileFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return ProfileFileError(file: file, line: mark.line, "malformed YAML: \(problem) (column \(mark.column))")
        case .reader(let problem, _, _, _):
            return ProfileFileError(file: file, line: nil, "malformed YAML: \(problem)")
        default:
            return ProfileFileError(file: file, line: nil, "malformed YAML")
        }
    }
}
