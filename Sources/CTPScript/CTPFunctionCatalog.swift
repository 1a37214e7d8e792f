/// What each CTP function takes, for ``CTPScript/validate()``: argument count and the meaning of each argument.
enum CTPFunctionCatalog {
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

    /// CTP functions this implementation refuses.
    static let unsupported: Set<String> = ["encrypt", "decrypt", "call", "dateinterval"]

    /// The functions this implementation evaluates.
    static let signatures: [String: Signature] = [
        "keep": Signature(arity: 0...0, kinds: []),
        "remove": Signature(arity: 0...0, kinds: []),
        "empty": Signature(arity: 0...0, kinds: []),
        "blank": Signature(arity: 1...1, kinds: [.integer]),
        "always": Signature(arity: 0...0, kinds: []),
        "process": Signature(arity: 0...0, kinds: []),
        "skip": Signature(arity: 0...Int.max, kinds: []),
        "quarantine": Signature(arity: 0...Int.max, kinds: []),
        "select": Signature(arity: 0...0, kinds: []),
        "append": Signature(arity: 0...0, kinds: []),
        "if": Signature(arity: 2...3, kinds: [.element, .condition, .literal]),
        "param": Signature(arity: 1...1, kinds: [.parameter]),
        "require": Signature(arity: 0...2, kinds: [.element, .literal]),
        "contents": Signature(arity: 1...3, kinds: [.element, .regex, .literal]),
        "value": Signature(arity: 1...2, kinds: [.element, .literal]),
        "truncate": Signature(arity: 1...2, kinds: [.element, .integer]),
        "lowercase": Signature(arity: 1...1, kinds: [.element]),
        "uppercase": Signature(arity: 1...1, kinds: [.element]),
        "initials": Signature(arity: 1...2, kinds: [.element, .integer]),
        "pathelement": Signature(arity: 2...2, kinds: [.element, .integer]),
        "date": Signature(arity: 0...1, kinds: [.literal]),
        "time": Signature(arity: 0...1, kinds: [.literal]),
        "hash": Signature(arity: 1...2, kinds: [.element, .integerParameter]),
        "hashname": Signature(arity: 2...3, kinds: [.element, .integerParameter, .integerParameter]),
        "hashptid": Signature(arity: 2...3, kinds: [.parameter, .element, .integerParameter]),
        "hashuid": Signature(arity: 2...3, kinds: [.parameter, .element, .element]),
        "hashdate": Signature(arity: 2...2, kinds: [.element, .element]),
        "incrementdate": Signature(arity: 2...3, kinds: [.element, .integerParameter]),
        "modifydate": Signature(arity: 4...4, kinds: [.element, .dateFieldParameter, .dateFieldParameter,
                                                       .dateFieldParameter]),
        "round": Signature(arity: 2...2, kinds: [.element, .integerParameter]),
        "lookup": Signature(arity: 2...4, kinds: [.elementList, .literal, .literal, .literal]),
        "integer": Signature(arity: 2...3, kinds: [.element, .literal, .integer]),
    ]

    /// The signature of `call`, with `@incrementdate`'s second calling sequence (element, key element, key type).
    static func signature(of call: CTPFunctionCall) -> Signature? {
        if call.name == "incrementdate", call.arguments.count == 3 {
            return Signature(arity: 3...3, kinds: [.element, .element, .parameter])
        }
        return signatures[call.name]
    }
}
