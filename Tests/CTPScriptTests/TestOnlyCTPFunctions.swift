import CTPScript
import Foundation

/// TEST-ONLY stand-in for the real CTP-compatible hashes and dates (which live in `CTPFunctions`): every result
/// spells out its inputs so tests can see exactly what the evaluator passed. Never use outside tests.
struct TestOnlyCTPFunctions: CTPFunctionSet {

    func hashUID(prefix: String, uid: String) throws(CTPScriptError) -> String { "\(prefix)<\(uid)>" }
    func hash(_ value: String, maxLength: Int) throws(CTPScriptError) -> String {
        maxLength == Int.max ? "H(\(value))" : "H(\(value),\(maxLength))"
    }
    func hashPatientID(siteID: String, patientID: String, maxLength: Int) throws(CTPScriptError) -> String {
        "PT(\(siteID),\(patientID),\(maxLength == Int.max ? "max" : String(maxLength)))"
    }
    func hashName(_ name: String, maxLength: Int, wordCount: Int) throws(CTPScriptError) -> String {
        "N(\(name),\(maxLength),\(wordCount == Int.max ? "all" : String(wordCount)))"
    }
    func initials(_ name: String) -> String {
        // CTP: first letter of each word, family name initial moved last.
        let words = name.replacingOccurrences(of: "^", with: " ").split(separator: " ")
        guard !words.isEmpty else { return "X" }
        let letters = words.compactMap(\.first).map(String.init)
        return (letters.dropFirst() + letters.prefix(1)).joined().uppercased()
    }
    func roundAge(_ age: String, width: Int) throws(CTPScriptError) -> String {
        guard let years = Int(age.filter(\.isNumber)), width > 0 else { throw CTPScriptError(.functionFailed) }
        return String(format: "%03dY", (years + width / 2) / width * width)
    }
    func incrementDate(_ date: String, days: Int) throws(CTPScriptError) -> String {
        guard date.count >= 8 else { throw CTPScriptError(.functionFailed) }
        return "\(date)\(days >= 0 ? "+" : "")\(days)"
    }
    func modifyDate(_ date: String, year: Int, month: Int, day: Int) throws(CTPScriptError) -> String {
        "\(date)[\(year),\(month),\(day)]"
    }
    func hashDate(_ date: String, hashOf value: String) throws(CTPScriptError) -> String { "\(date)~\(value)" }
    func date(separator: String, at now: Date) -> String { "2001\(separator)02\(separator)03" }
    func time(separator: String, at now: Date) -> String { "04\(separator)05\(separator)06" }
}
