import DICOMCore
import DICOMDictionary
import Foundation

/// Evaluates a validated script's element rules against one data set at a time, as CTP's DicomAnonymizer does:
/// text and function results are concatenated, then the result is read as an action or a new value.
///
/// Scripts are parsed once (``CTPScriptParser``); the evaluator holds the parameters and name index, so one
/// evaluator serves a whole batch. Call ``CTPScript/validate()`` first: the evaluator assumes a valid script
/// and falls back the way CTP does (argument text, `@empty()`) where validation would have refused it.
public struct CTPEvaluator: Sendable {
    /// The script, parameters applied.
    public let script: CTPScript
    /// The hash and date operations.
    public let functions: any CTPFunctionSet
    /// The script's `<k>`/`<r>` settings.
    public let globals: CTPGlobals
    private let privateNames: [String: Tag]
    private let rulesByTag: [Tag: CTPElementRule]
    private let parameters: [String: String]
    /// Element names of the script's arguments, resolved once.
    private let references: [String: CTPElementReference]

    /// CTP's `blanks` string is 55 spaces: `@blank(n)` gives at most that many.
    public static let maximumBlankCount = 55
    /// How deep `@hashuid(prefix, uid, OtherElement)` may chain into other rules.
    static let maximumRuleDepth = 8

    /// Creates an evaluator.
    public init(script: CTPScript, functions: any CTPFunctionSet) {
        self.script = script
        self.functions = functions
        self.globals = CTPGlobals(script: script)
        self.privateNames = CTPElementReference.privateNames(of: script)
        var rules: [Tag: CTPElementRule] = [:]
        for rule in script.elements where rule.isEnabled { rules[rule.tag] = rule }
        self.rulesByTag = rules
        var parameters: [String: String] = [:]
        for parameter in script.parameters { parameters[parameter.name] = parameter.value }
        self.parameters = parameters
        var references: [String: CTPElementReference] = [:]
        for rule in rules.values {
            for call in rule.expression.allCalls {
                for argument in call.arguments {
                    let names = [argument.raw, argument.unquoted]
                        + argument.raw.split(separator: "|").map { String($0).trimmingWhitespace() }
                    for name in names where references[name] == nil {
                        references[name] = CTPElementReference.resolve(name, privateNames: privateNames)
                    }
                }
            }
        }
        self.references = references
    }

    /// The enabled rule for `tag`, if any (the last one of duplicates).
    public func rule(for tag: Tag) -> CTPElementRule? { rulesByTag[tag] }

    /// Whether `rule` keys a number, hash or date shift on the Patient ID (`@integer(PatientID,...)`,
    /// `@hashdate(this,PatientID)`): a patient without one then gets ``CTPEvaluationContext/patientKeyWithoutID``.
    public func keysOnPatientID(_ rule: CTPElementRule) -> Bool {
        rule.expression.allCalls.contains { call in
            guard let index = CTPFunction.named(call.name)?.keyArgument, index < call.arguments.count,
                  let reference = reference(call.arguments[index].raw) else { return false }
            return tag(of: reference, this: rule.tag) == .patientID
        }
    }

    /// Evaluates one rule for the element `rule.tag` of the context's current data set.
    ///
    /// For an element missing from the data set, CTP evaluates only rules that ``CTPElementRule/isAlways``, and
    /// creates the element unless the outcome is ``CTPOutcome/keep`` or ``CTPOutcome/remove``.
    /// - Throws: ``CTPScriptError`` ``CTPScriptError/Code/evaluation`` when rules refer to each other too deeply.
    public func evaluate(_ rule: CTPElementRule, context: any CTPEvaluationContext) throws(CTPScriptError) -> CTPOutcome {
        var state = State()
        let text: String
        do {
            text = try run(rule.expression, this: rule.tag, context, &state)
        } catch {
            switch error {
            case .skip: return .skipFile
            case .quarantine(let reason): return .quarantineFile("\(rule.tag) \(rule.name): \(reason)")
            case .failure(let failure): throw failure.located(rule, file: script.file)
            }
        }
        return Self.outcome(of: text, processed: state.processed)
    }

    /// Evaluates a rule to CTP's raw replacement text (before it is read as an action), for diagnostics and tests.
    /// - Throws: ``CTPScriptError`` as ``evaluate(_:context:)``; skip and quarantine become `@skip()`/`@quarantine()`.
    public func replacementText(_ rule: CTPElementRule, context: any CTPEvaluationContext) throws(CTPScriptError) -> String {
        var state = State()
        do {
            return try run(rule.expression, this: rule.tag, context, &state)
        } catch {
            switch error {
            case .skip: return "@skip()"
            case .quarantine: return "@quarantine()"
            case .failure(let failure): throw failure.located(rule, file: script.file)
            }
        }
    }

    /// Reads a replacement as CTP's `processElements` does: trimmed; `@remove()` anywhere removes; `@keep()`
    /// keeps; `@blank(n)` blanks; `@empty()` or nothing empties; anything else is the new value.
    static func outcome(of text: String, processed: Bool) -> CTPOutcome {
        let value = text.trimmingWhitespace()
        if containsRemove(value) { return .remove }
        if value == "@keep()" { return processed ? .process : .keep }
        if value.hasPrefix("@blank(") {
            let rest = value.dropFirst("@blank(".count)
            guard let close = rest.firstIndex(of: ")") else { return .blank(0) }
            let count = Int("0" + rest[..<close].filter(\.isASCII).filter(\.isNumber)) ?? 0
            return .blank(min(count, maximumBlankCount))
        }
        if value == "@empty()" || value.isEmpty { return .empty }
        return .set(value)
    }

    /// Whether `value` holds `@remove()` anywhere, compared code unit by code unit as Java's `indexOf` does
    /// (Foundation's `contains` went through NSString and showed in profiles: it runs for every rule).
    static func containsRemove(_ value: String) -> Bool {
        let needle: StaticString = "@remove()"
        var value = value
        return value.withUTF8 { bytes in
            needle.withUTF8Buffer { pattern in
                guard bytes.count >= pattern.count else { return false }
                for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
                    if (1..<pattern.count).allSatisfy({ bytes[start + $0] == pattern[$0] }) { return true }
                }
                return false
            }
        }
    }

    // MARK: - Running

    /// Why evaluation stopped early.
    enum Stop: Error {
        case skip
        case quarantine(String)
        case failure(CTPScriptError)
    }

    struct State {
        var processed = false
        var depth = 0
    }

    func run(_ expression: CTPExpression, this: Tag, _ context: any CTPEvaluationContext,
             _ state: inout State) throws(Stop) -> String {
        var out = ""
        for segment in expression.segments {
            switch segment {
            case .text(let text): out += text
            case .call(let call): out += try run(call, this: this, context, &state)
            }
        }
        return out
    }

    /// Runs one function call (``CTPFunction/table``); a name the table lacks stays as text, as CTP leaves it.
    private func run(_ call: CTPFunctionCall, this: Tag, _ context: any CTPEvaluationContext,
                     _ state: inout State) throws(Stop) -> String {
        guard let function = CTPFunction.named(call.name) else { return "@" + call.name + call.argumentText }
        return try function.evaluate(Invocation(evaluator: self, call: call, this: this, context: context), &state)
    }

    // MARK: - Functions with more to them

    /// CTP `testCondition`.
    func condition(_ call: CTPFunctionCall, this: Tag, _ context: any CTPEvaluationContext) -> Bool {
        let args = call.arguments
        guard args.count >= 2 else { return false }
        let name = args[0].unquoted
        let element = contents(name, this: this, context) ?? ""
        let operand = args.count > 2 ? ifOperand(args[2]) : nil
        switch args[1].raw {
        case "isblank":
            return element.trimmingWhitespace().isEmpty
        case "contains":
            guard let operand else { return false }
            return element.lowercased().contains(operand.lowercased())
        case "equals":
            guard let operand else { return false }
            return element.lowercased() == operand.lowercased()
        case "matches":
            guard let operand else { return false }
            return Self.wholeMatch(element, pattern: operand.trimmingWhitespace())
        case "exists":
            guard let reference = reference(name) else { return false }
            return context.contains(tag(of: reference, this: this))
        case "greaterthan":
            guard let operand else { return false }
            return Self.digitsValue(element) > Self.digitsValue(operand)
        default:
            return false
        }
    }

    /// `@if`'s value argument: unquoted; a defined `@NAME` gives the parameter.
    private func ifOperand(_ argument: CTPArgument) -> String {
        let text = argument.unquoted
        if text.hasPrefix("@"), let value = parameters[String(text.dropFirst()).trimmingWhitespace()] { return value }
        return text
    }

    /// CTP `require`: keep a present element; else the value of another element, a default, or blanks.
    func require(_ call: CTPFunctionCall, this: Tag, _ context: any CTPEvaluationContext) -> String {
        if context.contains(this) { return "@keep()" }
        guard let first = call.arguments.first else { return "" }
        var result: String
        if let reference = reference(first.unquoted),
           context.contains(tag(of: reference, this: this)) {
            result = context.string(for: tag(of: reference, this: this)) ?? ""
        } else {
            result = call.arguments.count > 1 ? call.arguments[1].unquoted : ""
        }
        if result.trimmingWhitespace().isEmpty { result = "@blank(\(result.count))" }
        return result
    }

    /// CTP `hashuid`, with the third argument's rule evaluated and appended to the UID before hashing.
    func hashUID(_ call: CTPFunctionCall, this: Tag, _ context: any CTPEvaluationContext,
                         _ state: inout State) -> String {
        let args = call.arguments
        guard args.count >= 2, var prefix = parameterValue(args[0]) else { return call.argumentText }
        guard var uid = contents(args[1].raw, this: this, context) else { return "@remove()" }
        if !prefix.hasSuffix(".") { prefix += "." }
        if args.count > 2 {
            guard let reference = reference(args[2].raw),
                  state.depth < Self.maximumRuleDepth else { return call.argumentText }
            let other = tag(of: reference, this: this)
            if let rule = rulesByTag[other] {
                state.depth += 1
                defer { state.depth -= 1 }
                // CTP catches anything the other rule throws (skip, quarantine) and falls back to the argument text.
                guard let suffix = try? run(rule.expression, this: other, context, &state) else { return call.argumentText }
                uid += suffix
            }
        }
        return (try? functions.hashUID(prefix: prefix, uid: uid)) ?? call.argumentText
    }

    /// CTP `incrementdate`: a fixed number of days, or a per-key offset from the lookup table.
    func incrementDate(_ call: CTPFunctionCall, this: Tag, _ context: any CTPEvaluationContext) -> String {
        let args = call.arguments
        guard let date = contents(args[0].raw, this: this, context) else { return "@remove()" }
        guard date.count >= 8 else { return "@empty()" }
        var increment: String?
        if args.count == 2 {
            increment = parameterValue(args[1])
        } else if args.count == 3, let key = contents(args[1].raw, this: this, context),
                  let type = parameterValue(args[2]) {
            increment = try? lookupIndirect(key: key, type: type, context)
        }
        guard let days = increment.flatMap({ Int($0.trimmingWhitespace()) }) else { return "@empty()" }
        return Self.eachDate(date) { (d) throws -> String in try functions.incrementDate(d, days: days) } ?? "@empty()"
    }

    /// CTP `lookup`: key from one or more elements (`A|B`), optional `UC`, fallback actions, else quarantine.
    func lookup(_ call: CTPFunctionCall, this: Tag, _ context: any CTPEvaluationContext) throws(Stop) -> String {
        let args = call.arguments
        var key = args[0].raw.split(separator: "|", omittingEmptySubsequences: false)
            .map { contents(String($0).trimmingWhitespace(), this: this, context) ?? "" }
            .joined(separator: "|")
        key.removeAll { $0 == "\\" }
        if args.count > 2, args[2].raw == "UC" { key = key.uppercased() }
        let type = args[1].raw.trimmingWhitespace()
        var problem = "no entry for the key"
        do {
            if let value = try lookupIndirect(key: key, type: type, context) { return value }
        } catch {
            problem = "\(error)"
        }
        if args.count > 2 {
            switch args[2].unquoted.trimmingWhitespace() {
            case "keep": return "@keep()"
            case "remove": return "@remove()"
            case "empty": return "@empty()"
            case "default" where args.count > 3: return args[3].unquoted.trimmingWhitespace()
            case "ignore" where args.count > 3 && Self.wholeMatch(key, pattern: args[3].unquoted): return key
            default: break
            }
        }
        throw .quarantine("@lookup\(call.argumentText): \(problem)")
    }

    /// A lookup with CTP's indirection: a value `@type/key` is looked up again, at most 10 times.
    private func lookupIndirect(key: String, type: String, _ context: any CTPEvaluationContext) throws -> String? {
        guard var value = try context.lookup(key: key.trimmingWhitespace(), type: type.trimmingWhitespace()) else { return nil }
        value = value.trimmingWhitespace()
        var indirects = 10
        while value.hasPrefix("@"), let slash = value.firstIndex(of: "/"), indirects > 0 {
            let nextType = String(value[value.index(after: value.startIndex)..<slash]).trimmingWhitespace()
            let nextKey = String(value[value.index(after: slash)...]).trimmingWhitespace()
            guard let next = try context.lookup(key: nextKey, type: nextType) else { return nil }
            value = next.trimmingWhitespace()
            indirects -= 1
        }
        return indirects > 0 ? value : nil
    }

    // MARK: - Helpers

    /// The value of the element an argument names; nil when absent or unresolvable.
    func contents(_ name: String, this: Tag, _ context: any CTPEvaluationContext) -> String? {
        guard let reference = reference(name) else { return nil }
        return context.string(for: tag(of: reference, this: this))
    }

    func reference(_ name: String) -> CTPElementReference? {
        references[name] ?? CTPElementReference.resolve(name, privateNames: privateNames)
    }

    func tag(of reference: CTPElementReference, this: Tag) -> Tag {
        switch reference {
        case .this: return this
        case .tag(let tag): return tag
        }
    }

    /// CTP `getParam`: `@NAME`/`$NAME` gives the parameter (nil if undefined), anything else the literal.
    func parameterValue(_ argument: CTPArgument) -> String? {
        guard let name = argument.parameterName else { return argument.unquoted }
        return parameters[name]
    }

    /// CTP `truncate`: first n characters, or (negative n) the last -n of the trimmed value.
    static func truncate(_ value: String, _ count: String?) -> String {
        guard let count, let n = Int(count.trimmingWhitespace()) else { return value }
        if n >= 0 { return String(value.prefix(n)) }
        let trimmed = value.trimmingWhitespace()
        return String(trimmed.suffix(min(-n, trimmed.count)))
    }

    /// CTP `pathelement`: the index-th `/`-separated part (negative from the end), else the whole value.
    static func pathElement(_ value: String, index: Int) -> String {
        var parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        while let last = parts.last, last.isEmpty, parts.count > 0 { parts.removeLast() }  // Java split drops trailing empties
        if parts.isEmpty { parts = [""] }
        let position = index < 0 ? parts.count + index : index
        return parts.indices.contains(position) ? parts[position] : value
    }

    /// Applies `transform` to each `\`-separated value; nil if any fails.
    static func eachDate(_ value: String, _ transform: (String) throws -> String) -> String? {
        var out: [String] = []
        for part in value.split(separator: "\\", omittingEmptySubsequences: false) {
            guard let converted = try? transform(String(part)) else { return nil }
            out.append(converted)
        }
        return out.joined(separator: "\\")
    }

    /// CTP's Caesar shift of letters and digits (`AnonymizerFunctions.encrypt(String, int)`).
    static func caesar(_ text: String, offset: Int) -> String {
        func shift(_ scalar: Unicode.Scalar, base: Unicode.Scalar, count: Int) -> Unicode.Scalar {
            var k = (Int(scalar.value - base.value) + offset) % count
            if k < 0 { k += count }
            return Unicode.Scalar(base.value + UInt32(k)) ?? scalar
        }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar {
            case "a"..."z": shift(scalar, base: "a", count: 26)
            case "A"..."Z": shift(scalar, base: "A", count: 26)
            case "0"..."9": shift(scalar, base: "0", count: 10)
            default: scalar
            }
        }))
    }

    /// The integer made of a string's digits (CTP `StringUtil.getInt(s.replaceAll("[^0-9]", ""))`), 0 if none.
    static func digitsValue(_ text: String) -> Int {
        Int(text.filter { $0.isASCII && $0.isNumber }) ?? 0
    }

    /// Java `String.matches`: the whole string matches.
    static func wholeMatch(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z") else { return false }
        let range = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }

    /// Java `String.replaceAll(regex, replacement)`.
    static func replacingMatches(in text: String, pattern: String, template: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return regex.stringByReplacingMatches(in: text, options: [], range: range, withTemplate: template)
    }
}
