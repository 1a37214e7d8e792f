/// What CTP does to De-identification Method Code Sequence (0012,0064), which it handles apart from other
/// elements (`DICOMAnonymizer.updateDeIdentificationMethodCodeSeq`), whether or not the element is present.
public enum CTPMethodCodeUpdate: Hashable, Sendable {
    /// The script is exactly `@remove()`: remove the sequence.
    case remove
    /// The script is exactly `@keep()` or empty: leave it.
    case keep
    /// Create the sequence if missing, empty it first if `resetExisting` (a `reset` among the codes), then
    /// append one item per code.
    case append(resetExisting: Bool, codes: [CTPMethodCode])
}

extension CTPEvaluator {
    /// CTP's update of De-identification Method Code Sequence (0012,0064) for its rule: the script is evaluated
    /// and split on `/`; `reset` empties the sequence, other parts become code items.
    /// - Throws: ``CTPScriptError`` as ``evaluate(_:context:)``.
    public func methodCodeUpdate(_ rule: CTPElementRule,
                                 context: any CTPEvaluationContext) throws(CTPScriptError) -> CTPMethodCodeUpdate {
        let script = rule.script.trimmingWhitespace()
        if script.isEmpty || script == "@keep()" { return .keep }
        if script == "@remove()" { return .remove }
        let text = try replacementText(rule, context: context).trimmingWhitespace()
        var reset = false
        var codes: [CTPMethodCode] = []
        for part in text.split(separator: "/", omittingEmptySubsequences: false) {
            let code = String(part).trimmingWhitespace()
            if code.lowercased() == "reset" {
                reset = true
                codes = []
            } else {
                codes.append(CTPMethodCode(code: code))
            }
        }
        return .append(resetExisting: reset, codes: codes)
    }
}
