import CTPScript
import DICOMCore
import Foundation

/// A data set as a tag -> string map, with in-memory integer and lookup tables. Synthetic values only.
struct TestContext: CTPEvaluationContext {
    struct NoEntry: Error, CustomStringConvertible { var description: String { "integer table unavailable" } }

    var values: [Tag: String] = [:]
    var isRootDataSet = true
    var integers: [String: String] = [:]
    var lookups: [String: String] = [:]
    var integerFails = false
    var now = Date(timeIntervalSince1970: 0)

    func string(for tag: Tag) -> String? { values[tag] }
    func contains(_ tag: Tag) -> Bool { values[tag] != nil }
    func integer(key: String, type: String, width: Int) throws -> String {
        if integerFails { throw NoEntry() }
        let number = integers["\(type)/\(key)"] ?? "1"
        return String(repeating: "0", count: max(0, width - number.count)) + number
    }
    func lookup(key: String, type: String) throws -> String? { lookups["\(type)/\(key)"] }
}
