import DICOMCore
import DICOMDictionary

/// One CTP DicomAnonymizer function: its name, what it takes (for ``CTPScript/validate()``) and how it is
/// evaluated (by ``CTPEvaluator``), each a few lines mirroring DICOMAnonymizer's method of the same name.
/// ``table`` is the one list of the functions this implementation knows.
struct CTPFunction: Sendable {
    /// How an argument is read.
    enum ArgumentKind {
        /// An element reference (`this`, keyword, tag).
        case element
        /// Element references joined by `|` (`@lookup`).
        case elementList
        /// `@NAME`/`$NAME` (must be defined) or a literal.
        case parameter
        /// `@NAME`/`$NAME` or a literal that must be an integer once resolved.
        case integerParameter
        /// Like ``integerParameter`` but `*` is also allowed (`@modifydate`).
        case dateFieldParameter
        /// A literal integer.
        case integer
        /// A Java-style regular expression.
        case regex
        /// `isblank`, `contains`, `equals`, `matches`, `exists`, `greaterthan`.
        case condition
        /// Anything.
        case literal
    }

    /// Argument count and kinds of one function.
    struct Signature {
        var arity: ClosedRange<Int>
        var kinds: [ArgumentKind]
    }

    typealias Evaluate = @Sendable (CTPEvaluator.Invocation, inout CTPEvaluator.State) throws(CTPEvaluator.Stop) -> String

    let name: String
    let signature: Signature
    /// The argument keyed on the patient (`@hashdate(this,PatientID)`): an empty Patient ID there is replaced
    /// by ``CTPEvaluationContext/patientKeyWithoutID``.
    let keyArgument: Int?
    let evaluate: Evaluate

    init(_ name: String, _ arity: ClosedRange<Int>, _ kinds: [ArgumentKind], keyArgument: Int? = nil,
         _ evaluate: @escaping Evaluate) {
        self.name = name
        self.signature = Signature(arity: arity, kinds: kinds)
        self.keyArgument = keyArgument
        self.evaluate = evaluate
    }

    /// CTP functions this implementation refuses.
    static let unsupported: Set<String> = ["encrypt", "decrypt", "call", "dateinterval"]

    /// The function called `name`, if this implementation evaluates it.
    static func named(_ name: String) -> CTPFunction? { byName[name] }

    /// The signature of `call`, with `@incrementdate`'s second calling sequence (element, key element, key type).
    static func signature(of call: CTPFunctionCall) -> Signature? {
        if call.name == "incrementdate", call.arguments.count == 3 {
            return Signature(arity: 3...3, kinds: [.element, .element, .parameter])
        }
        return byName[call.name]?.signature
    }

    private static let byName: [String: CTPFunction] = Dictionary(uniqueKeysWithValues: table.map { ($0.name, $0) })

    /// `@keep`, `@remove`, `@empty` and `@blank` stay as text, read once the whole script has run.
    private static func asText(_ f: CTPEvaluator.Invocation, _ state: inout CTPEvaluator.State) -> String {
        "@" + f.call.name + f.call.argumentText
    }

    /// The functions this implementation evaluates.
    static let table: [CTPFunction] = [
        CTPFunction("keep", 0...0, [], asText),
        CTPFunction("remove", 0...0, [], asText),
        CTPFunction("empty", 0...0, [], asText),
        CTPFunction("blank", 1...1, [.integer], asText),
        CTPFunction("always", 0...0, []) { _, _ in "" },
        CTPFunction("process", 0...0, []) { _, state in
            state.processed = true
            return "@keep()"
        },
        CTPFunction("skip", 0...Int.max, []) { (_, _) throws(CTPEvaluator.Stop) in throw .skip },
        CTPFunction("quarantine", 0...Int.max, []) { (f, _) throws(CTPEvaluator.Stop) in
            throw .quarantine("@quarantine\(f.fallback)")
        },
        CTPFunction("select", 0...0, []) { (f, state) throws(CTPEvaluator.Stop) in
            try f.run(clause: f.context.isRootDataSet ? 0 : 1, &state)
        },
        CTPFunction("append", 0...0, []) { (f, state) throws(CTPEvaluator.Stop) in
            let appended = try f.run(clause: 0, &state)
            guard f.context.contains(f.this), let current = f.context.string(for: f.this), !current.isEmpty else {
                return appended
            }
            return current + "\\" + appended
        },
        CTPFunction("if", 2...3, [.element, .condition, .literal]) { (f, state) throws(CTPEvaluator.Stop) in
            try f.run(clause: f.evaluator.condition(f.call, this: f.this, f.context) ? 0 : 1, &state)
        },
        CTPFunction("param", 1...1, [.parameter]) { f, _ in f.parameter(0) ?? "null" },
        CTPFunction("require", 0...2, [.element, .literal]) { f, _ in
            f.evaluator.require(f.call, this: f.this, f.context)
        },
        CTPFunction("contents", 1...3, [.element, .regex, .literal]) { f, _ in
            let current = f.text(0)
            guard f.args.count > 1 else { return current }
            return CTPEvaluator.replacingMatches(in: current, pattern: f.args[1].unquoted,
                                                 template: f.args.count > 2 ? f.args[2].unquoted : "")
        },
        CTPFunction("value", 1...2, [.element, .literal]) { f, _ in
            let current = f.text(0)
            return current.isEmpty && f.args.count > 1 ? f.args[1].unquoted : current
        },
        CTPFunction("truncate", 1...2, [.element, .integer]) { f, _ in
            CTPEvaluator.truncate(f.text(0), f.args.count > 1 ? f.args[1].raw : nil)
        },
        CTPFunction("lowercase", 1...1, [.element]) { f, _ in f.text(0).lowercased() },
        CTPFunction("uppercase", 1...1, [.element]) { f, _ in f.text(0).uppercased() },
        CTPFunction("initials", 1...2, [.element, .integer]) { f, _ in
            let initials = f.evaluator.functions.initials(f.text(0))
            guard f.args.count > 1 else { return initials }
            return CTPEvaluator.caesar(initials, offset: Int(f.args[1].raw.trimmingWhitespace()) ?? 0)
        },
        CTPFunction("pathelement", 2...2, [.element, .integer]) { f, _ in
            CTPEvaluator.pathElement(f.text(0), index: Int(f.args[1].raw) ?? 1000)
        },
        CTPFunction("date", 0...1, [.literal]) { f, _ in
            f.evaluator.functions.date(separator: f.args.first?.unquoted ?? "", at: f.context.now)
        },
        CTPFunction("time", 0...1, [.literal]) { f, _ in
            f.evaluator.functions.time(separator: f.args.first?.unquoted ?? "", at: f.context.now)
        },
        CTPFunction("hash", 1...2, [.element, .integerParameter], keyArgument: 0) { f, _ in
            guard f.value(0) != nil, let current = f.key(0) else { return "@remove()" }
            let length = f.parameter(1).flatMap { $0.isEmpty ? nil : Int($0.trimmingWhitespace()) } ?? Int.max
            return (try? f.evaluator.functions.hash(current, maxLength: length)) ?? f.fallback
        },
        CTPFunction("hashname", 2...3, [.element, .integerParameter, .integerParameter]) { f, _ in
            let length = f.parameter(1).flatMap { Int($0.trimmingWhitespace()) } ?? 4
            let words = f.parameter(2).flatMap { Int($0.trimmingWhitespace()) } ?? Int.max
            return (try? f.evaluator.functions.hashName(f.text(0), maxLength: length, wordCount: words)) ?? f.fallback
        },
        CTPFunction("hashptid", 2...3, [.parameter, .element, .integerParameter], keyArgument: 1) { f, _ in
            guard f.args.count >= 2, let site = f.parameter(0) else { return f.fallback }
            let length = f.parameter(2).flatMap { Int($0.trimmingWhitespace()) } ?? Int.max
            return (try? f.evaluator.functions.hashPatientID(siteID: site, patientID: f.key(1) ?? "", maxLength: length))
                ?? f.fallback
        },
        CTPFunction("hashuid", 2...3, [.parameter, .element, .element]) { f, state in
            f.evaluator.hashUID(f.call, this: f.this, f.context, &state)
        },
        CTPFunction("hashdate", 2...2, [.element, .element], keyArgument: 1) { f, _ in
            guard let date = f.value(0) else { return "@remove()" }
            guard date.count >= 8 else { return "@empty()" }
            guard f.value(1) != nil, let dateKey = f.key(1) else { return "@remove()" }
            return CTPEvaluator.eachDate(date) { (d) throws -> String in
                try f.evaluator.functions.hashDate(d, hashOf: dateKey)
            } ?? "@empty()"
        },
        CTPFunction("incrementdate", 2...3, [.element, .integerParameter]) { f, _ in
            f.evaluator.incrementDate(f.call, this: f.this, f.context)
        },
        CTPFunction("modifydate", 4...4, [.element, .dateFieldParameter, .dateFieldParameter, .dateFieldParameter]) { f, _ in
            guard let date = f.value(0) else { return "@remove()" }
            guard date.count >= 8 else { return "@empty()" }
            let fields = (1...3).map { Int((f.parameter($0) ?? "").trimmingWhitespace()) ?? -1 }
            return CTPEvaluator.eachDate(date) { (d) throws -> String in
                try f.evaluator.functions.modifyDate(d, year: fields[0], month: fields[1], day: fields[2])
            } ?? "@empty()"
        },
        CTPFunction("round", 2...2, [.element, .integerParameter]) { f, _ in
            guard let width = f.parameter(1).flatMap({ Int($0.trimmingWhitespace()) }) else { return f.fallback }
            return (try? f.evaluator.functions.roundAge(f.text(0), width: width)) ?? f.fallback
        },
        CTPFunction("lookup", 2...4, [.elementList, .literal, .literal, .literal]) { (f, _) throws(CTPEvaluator.Stop) in
            try f.evaluator.lookup(f.call, this: f.this, f.context)
        },
        CTPFunction("integer", 2...3, [.element, .literal, .integer], keyArgument: 0) { (f, _) throws(CTPEvaluator.Stop) in
            let width = f.args.count > 2 ? Int(f.args[2].raw.trimmingWhitespace()) ?? 0 : 0
            let type = f.args[1].unquoted.trimmingWhitespace()
            do {
                return try f.context.integer(key: (f.key(0) ?? "").trimmingWhitespace(), type: type, width: width)
            } catch {
                throw .quarantine("@integer\(f.fallback): \(error)")
            }
        },
    ]
}

extension CTPEvaluator {
    /// One call being evaluated: the call, the element it is for, the data set, and the argument readers the
    /// functions share.
    struct Invocation {
        let evaluator: CTPEvaluator
        let call: CTPFunctionCall
        let this: Tag
        let context: any CTPEvaluationContext

        var args: [CTPArgument] { call.arguments }
        /// The call's argument text, as CTP leaves it when a function fails (built only when used).
        var fallback: String { call.argumentText }
        func value(_ index: Int) -> String? { evaluator.contents(args[index].raw, this: this, context) }
        func text(_ index: Int) -> String { value(index) ?? "" }
        func parameter(_ index: Int) -> String? { index < args.count ? evaluator.parameterValue(args[index]) : nil }
        /// A keying argument: an empty or absent Patient ID is replaced by the context's patient key.
        func key(_ index: Int) -> String? {
            let current = value(index)
            guard let substitute = context.patientKeyWithoutID, (current ?? "").trimmingWhitespace().isEmpty,
                  let reference = evaluator.reference(args[index].raw),
                  evaluator.tag(of: reference, this: this) == .patientID else {
                return current
            }
            return substitute
        }
        /// Runs the call's clause `index` (`@if`, `@select`, `@append`).
        func run(clause index: Int, _ state: inout State) throws(Stop) -> String {
            try evaluator.run(call.clauses[index], this: this, context, &state)
        }
    }
}
