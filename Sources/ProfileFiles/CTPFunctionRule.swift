import CTPScript
import DICOMCodec
import DICOMCore
import Deidentification
import Foundation

/// The `function` action of native profiles: a CTP function call such as `@hash(this,16)` or
/// `@hashuid(@UIDROOT,this)`, evaluated with CTP's semantics on each element the rule matches (`this` is
/// that element), the profile's parameters as the script's `<p>` values.
enum CTPFunctionRule {
    /// A compiler for ``NativeProfileParser`` that turns a rule's function text into a script.
    static func compiler(environment: CTPEnvironment) -> NativeProfileParser.FunctionCompiler {
        { text, parameters, file, line throws(ProfileFileError) in
            try compile(text, parameters: parameters, environment: environment, file: file, line: line)
        }
    }

    static func compile(_ text: String, parameters: [String: String], environment: CTPEnvironment,
                        file: String, line: Int) throws(ProfileFileError) -> any ElementScript {
        var xml = "<script>\n"
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            xml += "<p t=\"\(escaped(name))\">\(escaped(value))</p>\n"
        }
        xml += "<e en=\"T\" t=\"00100010\" n=\"function\">\(escaped(text))</e>\n</script>\n"
        let script: CTPScript
        do {
            script = try CTPScriptParser.parse(xml, file: file)
            try script.validate()
        } catch {
            throw ProfileFileError(.invalidScript, file: file, line: line, "function '\(text)': \(error.reason)", cause: error.cause)
        }
        guard let rule = script.enabledRules.first else {
            throw ProfileFileError(file: file, line: line, "function '\(text)': empty")
        }
        do {
            try CTPProfile.checkParameters(script, file: file)
        } catch {
            throw ProfileFileError(file: file, line: line, "function '\(text)': \(error.message)")
        }
        if environment.lookup == nil, rule.expression.allCalls.contains(where: { $0.name == "lookup" }) {
            throw ProfileFileError(file: file, line: line, "function '\(text)': @lookup needs a lookup table, which profile files do not have")
        }
        return FunctionScript(rule: rule, evaluator: CTPEvaluator(script: script, functions: environment.functions),
                              environment: environment)
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The compiled rule, re-aimed at each element it is evaluated for.
    struct FunctionScript: ElementScript {
        let rule: CTPElementRule
        let evaluator: CTPEvaluator
        let environment: CTPEnvironment

        var keysOnPatientID: Bool { evaluator.keysOnPatientID(rule) }

        func evaluate(_ element: DataElement, in context: ScriptContext) throws(DeidentificationError) -> ScriptOutcome {
            var aimed = rule
            aimed.tag = element.tag
            return try CTPElementScript(rule: aimed, evaluator: evaluator, environment: environment).evaluate(element, in: context)
        }
    }
}
