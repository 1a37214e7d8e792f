import CTPScript
import Foundation

/// One CTP function call as the vector file and the Python reference write it: `{"f": ..., "args": [...]}`.
struct CTPCall: Codable, Sendable {
    enum Argument: Codable, Sendable, Equatable {
        case text(String), number(Int), null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let number = try? container.decode(Int.self) { self = .number(number) }
            else { self = .text(try container.decode(String.self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            case .null: try container.encodeNil()
            }
        }

        var text: String { if case .text(let t) = self { t } else { "" } }
        var number: Int? { if case .number(let n) = self { n } else { nil } }
    }

    var f: String
    var args: [Argument]
    /// Hex key for the keyed variant (reference runs only).
    var key: String?

    var keyBytes: [UInt8]? {
        guard let key else { return nil }
        var bytes: [UInt8] = []
        var index = key.startIndex
        while index < key.endIndex {
            let next = key.index(index, offsetBy: 2)
            bytes.append(UInt8(key[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    /// The Swift result for this call.
    func evaluate() -> String? {
        let a = args
        let key = keyBytes
        switch f {
        case "hashuid": return CTPFunctions.hashUID(prefix: a[0].text, uid: a[1].text, key: key)
        case "hash": return CTPFunctions.hash(a[0].text, maxLength: a[1].number, key: key)
        case "hashptid":
            return CTPFunctions.hashPatientID(siteID: a[0].text, patientID: a[1].text, maxLength: a[2].number, key: key)
        case "hashname":
            return CTPFunctions.hashName(a[0].text, maxLength: a[1].number ?? 0, wordCount: a[2].number, key: key)
        case "initials": return CTPFunctions.initials(a[0].text)
        case "round": return CTPFunctions.round(age: a[0].text, width: a[1].number ?? 0)
        case "incrementdate": return CTPFunctions.incrementDate(a[0].text, days: a[1].number ?? 0)
        case "modifydate":
            return CTPFunctions.modifyDate(a[0].text, year: a[1].number, month: a[2].number, day: a[3].number)
        case "hashdate": return CTPFunctions.hashDate(a[0].text, hashOf: a[1].text, key: key)
        default: return "unknown function \(f)"
        }
    }
}

/// A vector made by CTP itself: a call and CTP's output (`nil` where CTP throws or writes an empty value).
struct CTPVector: Decodable, Sendable {
    var f: String
    var args: [CTPCall.Argument]
    var out: String?

    var call: CTPCall { CTPCall(f: f, args: args, key: nil) }
}
