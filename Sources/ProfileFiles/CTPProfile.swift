import CTPScript
import DICOMCodec
import DICOMCore
import DICOMDictionary
import Deidentification
import Foundation
import MappingStore

/// What CTP scripts need besides the script: hash functions, the mapping database, lookup tables, the clock.
public struct CTPEnvironment: Sendable {
    /// CTP's own hashes, or the keyed variant.
    public var functions: CTPStandardFunctions
    /// `@integer` numbers; nil when none is configured (a script using `@integer` is then refused).
    public var integers: (any IntegerStore)?
    /// `@lookup` values.
    public var lookup: LookupTable?
    /// What `@date()` and `@time()` report: one moment per run, so every file of a batch agrees.
    public var now: Date

    public init(functions: CTPStandardFunctions = CTPStandardFunctions(), integers: (any IntegerStore)? = nil,
                lookup: LookupTable? = nil, now: Date = Date()) {
        self.functions = functions
        self.integers = integers
        self.lookup = lookup
        self.now = now
    }
}

/// An RSNA CTP DicomAnonymizer script as a dicom-deid profile: one rule per element script, then CTP's global
/// settings as rules, applied at every nesting level (CTP itself leaves sequence contents alone unless a
/// sequence is scripted `@process()`), and always reversible.
public enum CTPProfile {
    /// Reads, parameterizes and checks the script at `path`; nothing is touched when it is refused.
    /// - Parameter parameters: `--ctp-param NAME=VALUE` overrides of the script's `<p>` values.
    /// - Throws: ``ProfileFileError`` naming the file, the line, the element and the function.
    public static func load(path: String, parameters: [String: String], environment: CTPEnvironment) throws(ProfileFileError) -> Profile {
        let text = try ProfileText.read(path, what: "CTP script")
        return try make(text, file: path, parameters: parameters, environment: environment)
    }

    /// The profile of script `text`; `file` names it in errors, rule origins and De-identification Method.
    /// - Parameter keepsUnnamedPrivate: keep the private attributes the script does not remove, as CTP does;
    ///   false when private dispositions decide them (those no disposition names are then removed).
    public static func make(_ text: String, file: String, parameters: [String: String],
                            environment: CTPEnvironment, keepsUnnamedPrivate: Bool = true) throws(ProfileFileError) -> Profile {
        let script: CTPScript
        do {
            script = try CTPScriptParser.parse(text, file: file).overriding(parameters: parameters)
        } catch {
            throw ProfileFileError(error)
        }
        // Placeholders first: a template's "Enter your date offset" is better reported as what it is.
        try checkParameters(script, file: file)
        do {
            try script.validate()
        } catch {
            throw ProfileFileError(error)
        }
        if environment.lookup == nil, let rule = script.enabledRules.first(where: { $0.expression.allCalls.contains { $0.name == "lookup" } }) {
            throw ProfileFileError(file: file, line: rule.line,
                "element \(rule.tag) \(rule.name): @lookup needs a lookup table (--ctp-lookup)")
        }
        let evaluator = CTPEvaluator(script: script, functions: environment.functions)
        let usesIntegers = script.enabledRules.contains { $0.expression.allCalls.contains { $0.name == "integer" } }
        if usesIntegers, environment.integers == nil {
            let rule = script.enabledRules.first { $0.expression.allCalls.contains { $0.name == "integer" } }
            throw ProfileFileError(file: file, line: rule?.line,
                "element \(rule.map { "\($0.tag) \($0.name)" } ?? ""): @integer needs a mapping database")
        }
        let name = (file as NSString).lastPathComponent
        let profile = Profile(options: [], rules: rules(script, evaluator: evaluator, environment: environment,
                                                        keepsUnnamedPrivate: keepsUnnamedPrivate), name: name,
                              additions: CTPAdditions(script: script, evaluator: evaluator, environment: environment),
                              claimedOptions: claimedOptions(script))
        try ProfileParameters.checkRequiredAttributes(profile, file: file)
        return profile
    }

    /// The options whose codes the script writes into De-identification Method Code Sequence (0012,0064), such
    /// as RICORD's `113100/113107/113108/113109`: the profile is compared with the Basic Profile with these.
    static func claimedOptions(_ script: CTPScript) -> Set<ProfileOption> {
        guard let rule = script.rule(for: .deidentificationMethodCodeSequence) else { return [] }
        let codes = Set(rule.script.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) })
        return Set(ProfileOption.allCases.filter { codes.contains($0.codeValue) })
    }

    /// Refuses, before any file is touched, a parameter that still holds a template's placeholder, and a
    /// parameter `@hashuid` uses as its UID root that is not a valid one.
    static func checkParameters(_ script: CTPScript, file: String) throws(ProfileFileError) {
        for parameter in script.parameters {
            if let mark = ProfileParameters.placeholder(in: parameter.value) {
                throw ProfileFileError(file: file, line: parameter.line == 0 ? nil : parameter.line,
                    "parameter \(parameter.name) is still the placeholder of the template ('\(mark)'): give it a value (--ctp-param \(parameter.name)=...)")
            }
        }
        for rule in script.enabledRules {
            for call in rule.expression.allCalls where call.name == "hashuid" {
                guard let name = call.arguments.first?.parameterName, let parameter = script.parameters.last(where: { $0.name == name }) else { continue }
                if let problem = ProfileParameters.uidRootProblem(parameter.value) {
                    throw ProfileFileError(file: file, line: parameter.line == 0 ? nil : parameter.line,
                        "parameter \(name), the UID root of @hashuid: \(problem)")
                }
            }
        }
    }

    /// The rules: the element scripts, then the globals in CTP's order of precedence (``Profile`` adds the
    /// safety rules every profile has).
    static func rules(_ script: CTPScript, evaluator: CTPEvaluator, environment: CTPEnvironment,
                      keepsUnnamedPrivate: Bool = true) -> [Rule] {
        let file = script.file
        var rules: [Rule] = []
        var seen = Set<Tag>()
        for candidate in script.enabledRules where seen.insert(candidate.tag).inserted {
            // (0012,0064) is CTP's special case: the codes are appended, not set (CTPAdditions).
            guard candidate.tag != .deidentificationMethodCodeSequence, let rule = evaluator.rule(for: candidate.tag) else { continue }
            rules.append(Rule(.tag(rule.tag), action(of: rule, evaluator: evaluator, environment: environment),
                              origin: .file(path: file, line: rule.line), note: "\(rule.name) \(rule.script)"))
        }
        let globals = evaluator.globals
        for group in globals.keptGroups.sorted() {
            rules.append(Rule(.group(group), .keep, origin: globalOrigin(script, keep: group), note: "kept group <k>"))
        }
        if globals.keepsSafePrivateElements {
            rules.append(Rule(.safePrivate, .keep, origin: .builtIn("safe private attribute (<k t=\"safeprivateelements\">)")))
        }
        if globals.removesPrivateGroups {
            rules.append(Rule(.anyPrivate, .fixed(.remove), origin: removalOrigin(script, .privateGroups), note: "private groups removed"))
        }
        // CTP keeps these whatever "remove unspecified elements" says, when no element script names them.
        for tag in [Tag.sopClassUID, .sopInstanceUID, .studyInstanceUID] {
            rules.append(Rule(.tag(tag), .keep, origin: .builtIn("kept by CTP when not scripted")))
        }
        for group: UInt16 in [0x0028, 0x7FE0] {
            rules.append(Rule(.group(group), .keep, origin: .builtIn("kept by CTP when not scripted")))
        }
        rules.append(Rule(.repeatingGroups(base: 0x6000), globals.removesOverlays ? .fixed(.remove) : .keep,
                          origin: globals.removesOverlays ? removalOrigin(script, .overlays) : .builtIn("overlays kept"),
                          note: globals.removesOverlays ? "overlays removed" : "overlays kept"))
        // Curves go whenever the script says so (CTP removes them only with unspecified elements).
        let curves = RuleMatcher.pattern(TagPattern(group: 0x5000, element: 0, groupMask: 0xFF01, elementMask: 0))
        rules.append(Rule(curves, globals.removesCurves ? .fixed(.remove) : .keep,
                          origin: globals.removesCurves ? removalOrigin(script, .curves) : .builtIn("curves kept"),
                          note: globals.removesCurves ? "curves removed" : "curves kept"))
        if globals.removesUnspecifiedElements {
            rules.append(Rule(.everythingElse, .fixed(.remove), origin: removalOrigin(script, .unspecifiedElements),
                              note: "unspecified element removed"))
        } else {
            // CTP keeps the private groups a script does not remove: said here, or the profile's safety rule
            // would remove them as attributes no rule names. Not with private dispositions, which promise that
            // the private attributes no disposition names are removed.
            if !globals.removesPrivateGroups, keepsUnnamedPrivate {
                rules.append(Rule(.anyPrivate, .keep, origin: .builtIn("not named by the script")))
            }
            rules.append(Rule(.everythingElse, .keep, origin: .builtIn("not named by the script")))
        }
        return rules
    }

    /// The action of one element script. A script that is just `@keep()`, `@remove()` or `@empty()` (most
    /// lines of most profiles) is that fixed action, exactly what evaluating it would give, without the cost
    /// of evaluating it per element; anything else is evaluated.
    static func action(of rule: CTPElementRule, evaluator: CTPEvaluator, environment: CTPEnvironment) -> RuleAction {
        if rule.expression.segments.count == 1, case .call(let call) = rule.expression.segments[0],
           call.arguments.isEmpty, call.clauses.isEmpty {
            switch call.name {
            case "keep": return .keep
            case "remove": return .fixed(.remove)
            case "empty": return .fixed(.empty)
            default: break
            }
        }
        return .script(CTPElementScript(rule: rule, evaluator: evaluator, environment: environment))
    }

    private static func globalOrigin(_ script: CTPScript, keep group: UInt16) -> RuleOrigin {
        let line = script.keeps.first { $0.isEnabled && $0.target == .group(group) }?.line ?? 0
        return .file(path: script.file, line: line)
    }

    private static func removalOrigin(_ script: CTPScript, _ target: CTPRemoveRule.Target) -> RuleOrigin {
        let line = script.removals.first { $0.isEnabled && $0.target == target }?.line ?? 0
        return .file(path: script.file, line: line)
    }
}

extension ProfileFileError {
    /// A refused CTP script, as one line with its file and line: the script error's place becomes this error's,
    /// its reason follows the element, and its cause stays the cause.
    init(_ error: CTPScriptError, fileID: String = #fileID, thrownLine: Int = #line) {
        var message = ""
        if let element = error.element {
            message = "element \(element)" + (error.elementName.map { " \($0)" } ?? "") + ": "
        }
        self.init(.invalidScript, file: error.file, line: error.line, message + error.reason, cause: error.cause,
                  fileID: fileID, thrownLine: thrownLine)
    }
}

/// One element script of a CTP script, evaluated for each element its tag matches.
struct CTPElementScript: ElementScript {
    let rule: CTPElementRule
    let evaluator: CTPEvaluator
    let environment: CTPEnvironment

    var keysOnPatientID: Bool { evaluator.keysOnPatientID(rule) }

    func evaluate(_ element: DataElement, in context: ScriptContext) throws(DeidentificationError) -> ScriptOutcome {
        let adapter = CTPContextAdapter(container: context.container, root: context.root, isRootDataSet: context.isRoot,
                                        characterSet: context.characterSet, environment: environment,
                                        patientKeyWithoutID: context.patientKeyWithoutID)
        let outcome: CTPOutcome
        do {
            outcome = try evaluator.evaluate(rule, context: adapter)
        } catch {
            throw DeidentificationError(.ruleFailed, cause: ProfileFileError(error))
        }
        return ScriptOutcome(outcome)
    }
}

extension ScriptOutcome {
    init(_ outcome: CTPOutcome) {
        switch outcome {
        case .keep: self = .keep
        case .remove: self = .remove
        case .empty: self = .empty
        case .blank(let count): self = .set(String(repeating: " ", count: count))
        case .set(let text): self = .set(text)
        case .process: self = .process
        case .skipFile: self = .skipFile("@skip()")
        case .quarantineFile(let why): self = .quarantineFile(why)
        }
    }
}

/// The data set and the mapping database, as CTP's evaluator sees them. Text values are decoded in the
/// instance's character set, several values joined with `\` as CTP does; binary values read as empty.
///
/// Inside a sequence item, an element the item lacks is read from the top level: CTP runs scripts on items
/// only under `@process()`, where `@hashdate(this,PatientID)` then finds no Patient ID and removes the date;
/// this tool runs them in every item, and a nested date is shifted with its patient's shift instead.
struct CTPContextAdapter: CTPEvaluationContext {
    let container: DataSet
    /// The top-level data set (the same as `container` at the top level).
    let root: DataSet
    let isRootDataSet: Bool
    let characterSet: SpecificCharacterSet
    let environment: CTPEnvironment
    var patientKeyWithoutID: String? = nil

    func string(for tag: Tag) -> String? {
        guard let element = container[tag] ?? (isRootDataSet ? nil : root[tag]) else { return nil }
        guard element.vr.isText || element.vr == .UN else { return "" }
        return element.string(characterSet) ?? ""
    }

    func contains(_ tag: Tag) -> Bool { container.contains(tag) }

    func integer(key: String, type: String, width: Int) throws -> String {
        guard let store = environment.integers else { throw DeidentificationError(.ruleFailed, "no mapping database for @integer") }
        return try store.formattedInteger(for: key, type: type, width: width)
    }

    func lookup(key: String, type: String) throws -> String? {
        environment.lookup?.value(type: type, key: key)
    }

    var now: Date { environment.now }
}

/// What a CTP script adds at the top level: elements its `@always()` scripts create when missing, and its
/// De-identification Method Code Sequence update.
struct CTPAdditions: RootAdditions {
    let script: CTPScript
    let evaluator: CTPEvaluator
    let environment: CTPEnvironment
    let alwaysRules: [CTPElementRule]
    let methodCodeRule: CTPElementRule?
    let ownedTags: Set<Tag>

    init(script: CTPScript, evaluator: CTPEvaluator, environment: CTPEnvironment) {
        self.script = script
        self.evaluator = evaluator
        self.environment = environment
        var seen = Set<Tag>()
        var always: [CTPElementRule] = []
        for candidate in script.enabledRules where seen.insert(candidate.tag).inserted {
            if let rule = evaluator.rule(for: candidate.tag), rule.isAlways, rule.tag != .deidentificationMethodCodeSequence {
                always.append(rule)
            }
        }
        alwaysRules = always.sorted { $0.tag < $1.tag }
        methodCodeRule = evaluator.rule(for: .deidentificationMethodCodeSequence)
        // The script's own method description and codes win over the tool's.
        ownedTags = Set(seen.filter { $0 == .deidentificationMethod || $0 == .deidentificationMethodCodeSequence })
    }

    func additions(original: DataSet, context: ScriptContext) throws(DeidentificationError) -> [DataElement] {
        let adapter = CTPContextAdapter(container: original, root: original, isRootDataSet: true,
                                        characterSet: context.characterSet, environment: environment,
                                        patientKeyWithoutID: context.patientKeyWithoutID)
        var elements: [DataElement] = []
        for rule in alwaysRules where !original.contains(rule.tag) {
            guard let vr = Self.vr(for: rule.tag) else { continue }
            let outcome = try Self.ruleFailed { () throws(CTPScriptError) in try evaluator.evaluate(rule, context: adapter) }
            switch ScriptOutcome(outcome) {
            case .set(let text): elements.append(Self.element(rule.tag, vr, text, context.characterSet))
            case .empty, .keep: elements.append(DataElement(tag: rule.tag, vr: vr, bytes: []))
            case .remove, .process: break
            case .skipFile(let why): throw DeidentificationError(.skippedByProfile, "skipped by the script: \(why)")
            case .quarantineFile(let why): throw DeidentificationError(.quarantinedByProfile, "quarantined by the script: \(why)")
            }
        }
        let update = try methodCodeRule.map { rule throws(DeidentificationError) in
            try Self.ruleFailed { () throws(CTPScriptError) in try evaluator.methodCodeUpdate(rule, context: adapter) }
        }
        if case .append(let reset, let codes) = update {
            var items = reset ? [] : (original[.deidentificationMethodCodeSequence]?.sequence?.items ?? [])
            for code in codes {
                items.append(Item(dataSet: DataSet([
                    DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: code.codeValue),
                    DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, string: code.codingSchemeDesignator),
                    DataElement(tag: Tag(0x0008, 0x0104), vr: .LO, string: code.codeMeaning),
                ])))
            }
            elements.append(DataElement(tag: .deidentificationMethodCodeSequence, vr: .SQ,
                                        value: .sequence(SequenceOfItems(items: items))))
        }
        return elements
    }

    /// What `body` returns; a script error as a failed rule.
    private static func ruleFailed<T>(_ body: () throws(CTPScriptError) -> T) throws(DeidentificationError) -> T {
        do {
            return try body()
        } catch {
            throw DeidentificationError(.ruleFailed, cause: ProfileFileError(error))
        }
    }

    /// The VR of an element the script creates: the dictionary's, LO for private elements (and their
    /// creators); nil for sequences, which CTP does not create either.
    static func vr(for tag: Tag) -> VR? {
        if tag.isPrivate { return .LO }
        guard let dictionary = DataDictionary.vr(for: tag) else { return .LO }
        guard case .single(let vr) = dictionary else { return .LO }
        return vr == .SQ ? nil : vr
    }

    static func element(_ tag: Tag, _ vr: VR, _ text: String, _ characterSet: SpecificCharacterSet) -> DataElement {
        DataElement(tag: tag, vr: vr, bytes: ValuePadding.padded(characterSet.encode(text), for: vr))
    }
}
