import DICOMCore
import Foundation

extension CTPScript {
    /// Refuses a script this implementation cannot run faithfully, before any file is touched.
    ///
    /// Checks every enabled rule: each function is one CTP defines and this implementation evaluates
    /// (`@encrypt`, `@decrypt`, `@call`, `@dateinterval` and unknown names are refused), with a valid number of
    /// arguments; element arguments name a known element; `@NAME` parameter references are defined (and are
    /// integers where the function needs a number); regular expressions compile; `@if` conditions are known.
    /// Enabled `<r>` globals must be ones CTP defines.
    /// - Throws: ``CTPScriptError``, the first problem in file order, as one line
    ///   `FILE:LINE: element (gggg,eeee) Name: unknown function @foo`.
    public func validate() throws(CTPScriptError) {
        let privateNames = CTPElementReference.privateNames(of: self)
        for rule in elements where rule.isEnabled {
            for call in rule.expression.allCalls {
                do {
                    try validate(call, privateNames: privateNames)
                } catch {
                    throw error.located(rule, file: file)
                }
            }
        }
        for removal in removals where removal.isEnabled {
            if case .other(let name) = removal.target {
                throw CTPScriptError(.unknownGlobal, file: file, line: removal.line, reason: "unknown removal t=\"\(name)\"")
            }
        }
    }

    private func validate(_ call: CTPFunctionCall, privateNames: [String: Tag]) throws(CTPScriptError) {
        let name = "@" + call.name
        if CTPFunction.unsupported.contains(call.name) {
            throw CTPScriptError(.unsupportedFunction, reason: "unsupported function \(name)")
        }
        guard let signature = CTPFunction.signature(of: call) else {
            throw CTPScriptError(.unknownFunction, reason: "unknown function \(name)")
        }
        let count = call.arguments.count
        guard signature.arity.contains(count) else {
            let range = signature.arity
            let wanted = range.lowerBound == range.upperBound ? "\(range.lowerBound)"
                : range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw CTPScriptError(.badArguments, reason: "\(name) takes \(wanted) argument\(wanted == "1" ? "" : "s"), got \(count)")
        }
        for (index, argument) in call.arguments.enumerated() where index < signature.kinds.count {
            try validate(argument, as: signature.kinds[index], in: call, privateNames: privateNames)
        }
        if call.name == "if", ["contains", "equals", "matches", "greaterthan"].contains(call.arguments[1].raw), count < 3 {
            throw CTPScriptError(.badArguments, reason: "@if(..., \(call.arguments[1].raw)) needs a value to compare with")
        }
        if call.name == "if", call.arguments[1].raw == "matches", count == 3 {
            try checkRegex(resolvedLiteral(call.arguments[2]), in: name)
        }
    }

    private func validate(_ argument: CTPArgument, as kind: CTPFunction.ArgumentKind, in call: CTPFunctionCall,
                          privateNames: [String: Tag]) throws(CTPScriptError) {
        let name = "@" + call.name
        switch kind {
        case .element:
            try checkElement(argument.unquoted, in: name, privateNames: privateNames)
        case .elementList:
            for part in argument.raw.split(separator: "|", omittingEmptySubsequences: false) {
                try checkElement(String(part), in: name, privateNames: privateNames)
            }
        case .parameter:
            _ = try parameterValue(argument)
        case .integerParameter, .dateFieldParameter:
            let value = try parameterValue(argument).trimmingWhitespace()
            if kind == .dateFieldParameter, value == "*" { return }
            if call.name == "hash", value.isEmpty { return }
            guard Int(value) != nil else {
                let what = argument.parameterName.map { "parameter @\($0)" } ?? "argument"
                throw CTPScriptError(.badArguments, reason: "\(name): \(what) is not an integer: \"\(value)\"")
            }
        case .integer:
            guard Int(argument.unquoted.trimmingWhitespace()) != nil else {
                throw CTPScriptError(.badArguments, reason: "\(name): \"\(argument.raw)\" is not an integer")
            }
        case .regex:
            try checkRegex(argument.unquoted, in: name)
        case .condition:
            let known = ["isblank", "contains", "equals", "matches", "exists", "greaterthan"]
            guard known.contains(argument.raw) else {
                throw CTPScriptError(.badArguments, reason: "@if: unknown condition \"\(argument.raw)\" (expected \(known.joined(separator: ", ")))")
            }
        case .literal:
            break
        }
    }

    /// The value of a parameter-or-literal argument.
    private func parameterValue(_ argument: CTPArgument) throws(CTPScriptError) -> String {
        guard let parameterName = argument.parameterName else { return argument.unquoted }
        guard let value = parameter(named: parameterName) else {
            throw CTPScriptError(.undefinedParameter, reason: "undefined parameter @\(parameterName)")
        }
        return value
    }

    /// `@if`'s third argument: a defined parameter's value, else the literal.
    private func resolvedLiteral(_ argument: CTPArgument) -> String {
        let text = argument.unquoted
        if text.hasPrefix("@"), let value = parameter(named: String(text.dropFirst()).trimmingWhitespace()) { return value }
        return text
    }

    private func checkElement(_ text: String, in function: String, privateNames: [String: Tag]) throws(CTPScriptError) {
        guard CTPElementReference.resolve(text, privateNames: privateNames) != nil else {
            throw CTPScriptError(.unknownElement, reason: "\(function): unknown element \"\(text.trimmingWhitespace())\"")
        }
    }

    private func checkRegex(_ pattern: String, in function: String) throws(CTPScriptError) {
        guard (try? NSRegularExpression(pattern: pattern.trimmingWhitespace())) != nil else {
            throw CTPScriptError(.badArguments, reason: "\(function): bad regular expression \"\(pattern)\"")
        }
    }
}
