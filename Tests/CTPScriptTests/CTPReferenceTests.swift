import DICOMTestSupport
import Foundation
import Testing
@testable import CTPScript

/// Swift against Scripts/ctp-functions-reference.py (an independent Python implementation written from CTP's Java
/// source) on 12,000 seeded random inputs over every hash and date function, a fifth of the hashes keyed.
struct CTPReferenceTests {
    static let callCount = 12_000

    @Test(.enabled(if: Peer.runnable(.pydicom), Comment(rawValue: Peer.skipReason(.pydicom))))
    func swiftMatchesPythonReferenceOnRandomInputs() throws {
        let python = try Peer.pydicom.require()
        // CTP_REFERENCE_SEED and CTP_REFERENCE_COUNT explore other inputs (with CTP_REFERENCE_DUMP, through CTP too).
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["CTP_REFERENCE_SEED"].flatMap { UInt64($0) } ?? 0xC7_9A_5E_ED
        let count = environment["CTP_REFERENCE_COUNT"].flatMap { Int($0) } ?? Self.callCount
        var generator = SeededGenerator(seed: seed)
        let calls = (0..<count).map { index in RandomCalls.call(index, using: &generator) }

        let directory = try TemporaryDirectory(prefix: "ctp-reference")
        defer { directory.remove() }
        let input = directory.url.appendingPathComponent("calls.jsonl")
        let output = directory.url.appendingPathComponent("results.jsonl")
        let encoder = JSONEncoder()
        var lines = Data()
        for call in calls {
            lines.append(try encoder.encode(call))
            lines.append(0x0A)
        }
        try lines.write(to: input)
        // CTP_REFERENCE_DUMP=path keeps a copy of the calls (to run them through CTP: MakeVectors --jsonl).
        if let dump = ProcessInfo.processInfo.environment["CTP_REFERENCE_DUMP"] {
            try lines.write(to: URL(fileURLWithPath: dump))
        }
        try Data().write(to: output)

        // stdin and stdout are files, not pipes, so a large input cannot deadlock.
        let process = Process()
        process.executableURL = python.executable
        process.arguments = [RepositoryPaths.root.appendingPathComponent("Scripts/ctp-functions-reference.py").path]
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONUTF8": "1"]) { $1 }
        let inHandle = try FileHandle(forReadingFrom: input)
        let outHandle = try FileHandle(forWritingTo: output)
        defer { try? inHandle.close(); try? outHandle.close() }
        process.standardInput = inHandle
        process.standardOutput = outHandle
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 reference exited with \(process.terminationStatus)")

        let text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
        let array = "[" + text.split(separator: "\n").joined(separator: ",") + "]"
        let expected = try JSONDecoder().decode([String?].self, from: Data(array.utf8))
        try #require(expected.count == calls.count, "python3 wrote \(expected.count) results for \(calls.count) calls")

        var mismatches: [String] = []
        var counts: [String: Int] = [:]
        for (call, reference) in zip(calls, expected) {
            counts[call.f, default: 0] += 1
            let got = call.evaluate()
            if got != reference {
                mismatches.append("\(call.f)\(call.args) key=\(call.key ?? "-"): Python \(reference ?? "nil"), Swift \(got ?? "nil")")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(calls.count):\n\(mismatches.prefix(20).joined(separator: "\n"))")
        #expect(counts.count == 9 && counts.values.allSatisfy { $0 > 500 }, "\(counts)")
    }
}

/// Seeded random calls: UIDs, person names with `^` and non-ASCII (including outside the BMP), IDs, ages and dates,
/// valid and not.
enum RandomCalls {
    static let functions = ["hashuid", "hash", "hashptid", "hashname", "initials", "round", "incrementdate",
                            "modifydate", "hashdate"]
    static let nameParts = ["Doe", "JOHN", "o'neil", "de la", "Müller", "Straße", "Łukasz", "Иван", "Σοφία", "山田",
                            "홍", "ǅemal", "ıpek", "ﬀord", "𝐀lpha", "St.", "Jr,", "x", "", " ", "\t"]
    static let textScalars = Array("abcXYZ019 ^,.'-\\=/ßıéÅΩЖ中🙂\u{0}\u{1}\t".unicodeScalars)
    static let dateScalars = Array("0123456789-:T .+&\\eEfNa٣xp".unicodeScalars)

    static func call(_ index: Int, using g: inout SeededGenerator) -> CTPCall {
        let f = functions[index % functions.count]
        let key = ["hashuid", "hash", "hashptid", "hashname", "hashdate"].contains(f) && Int.random(in: 0..<5, using: &g) == 0
            ? (0..<Int.random(in: 1...40, using: &g)).map { _ in String(format: "%02x", Int.random(in: 0...255, using: &g)) }.joined()
            : nil
        let args: [CTPCall.Argument]
        switch f {
        case "hashuid": args = [.text(uidRoot(&g)), .text(uid(&g))]
        case "hash": args = [.text(anyText(&g)), maxLength(&g)]
        case "hashptid": args = [.text(anyText(&g)), .text(anyText(&g)), maxLength(&g)]
        case "hashname": args = [.text(name(&g)), .number(Int.random(in: -2...40, using: &g)), maxLength(&g)]
        case "initials": args = [.text(name(&g))]
        case "round": args = [.text(age(&g)), .number([1, 2, 5, 10, 0, -5, 7, 100][Int.random(in: 0..<8, using: &g)])]
        case "incrementdate": args = [.text(date(&g)), .number(Int.random(in: -40_000...40_000, using: &g))]
        case "modifydate": args = [.text(date(&g)), dateField(&g, 0...2100), dateField(&g, 0...14), dateField(&g, 0...32)]
        default: args = [.text(date(&g)), .text(anyText(&g))]
        }
        return CTPCall(f: f, args: args, key: key)
    }

    static func pick<T>(_ values: [T], _ g: inout SeededGenerator) -> T { values[Int.random(in: 0..<values.count, using: &g)] }

    static func digits(_ count: Int, _ g: inout SeededGenerator) -> String {
        String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &g))) })
    }

    static func uidRoot(_ g: inout SeededGenerator) -> String {
        pick(["", ".", "1.2.3", "1.2.3.", " 2.25 ", "1.2.826.0.1.3680043.10.543.", "1.2.840.113619.2.55.3.123456789012345."], &g)
    }

    static func uid(_ g: inout SeededGenerator) -> String {
        let components = (0..<Int.random(in: 1...8, using: &g)).map { _ in String(Int.random(in: 0...99_999_999, using: &g)) }
        return "1." + components.joined(separator: ".") + pick(["", "", "", "\u{0}", " "], &g)
    }

    static func anyText(_ g: inout SeededGenerator) -> String {
        String(String.UnicodeScalarView((0..<Int.random(in: 0...24, using: &g)).map { _ in pick(textScalars, &g) }))
    }

    static func name(_ g: inout SeededGenerator) -> String {
        if Int.random(in: 0..<6, using: &g) == 0 { return anyText(&g) }
        let parts = (0..<Int.random(in: 0...5, using: &g)).map { _ in
            pick(nameParts, &g) + (Bool.random(using: &g) ? "" : " " + pick(nameParts, &g))
        }
        return parts.joined(separator: pick(["^", "^", "^", ", ", "^^"], &g))
    }

    static func maxLength(_ g: inout SeededGenerator) -> CTPCall.Argument {
        Int.random(in: 0..<5, using: &g) == 0 ? .null : .number(Int.random(in: -3...45, using: &g))
    }

    static func dateField(_ g: inout SeededGenerator, _ range: ClosedRange<Int>) -> CTPCall.Argument {
        Bool.random(using: &g) ? .null : .number(Int.random(in: range, using: &g))
    }

    static func age(_ g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<5, using: &g) {
        case 0: return digits(3, &g) + pick(["Y", "M", "W", "D"], &g)
        case 1: return " " + digits(Int.random(in: 1...6, using: &g), &g) + pick(["", "Y", " y", "Ω"], &g)
        case 2: return digits(Int.random(in: 1...9, using: &g), &g)
        case 3: return anyText(&g)
        default: return pick(["", " ", "Y", "1.5Y", "12ABC", "007"], &g)
        }
    }

    static func oneDate(_ g: inout SeededGenerator) -> String {
        let year = Int.random(in: 0..<10, using: &g) == 0 ? digits(4, &g) : String(Int.random(in: 1500...2100, using: &g))
        let month = String(format: "%02d", Int.random(in: 0...13, using: &g))
        let day = String(format: "%02d", Int.random(in: 0...32, using: &g))
        switch Int.random(in: 0..<8, using: &g) {
        case 0: return year + "-" + month + "-" + day
        case 1: return year + month + day + digits(Int.random(in: 1...6, using: &g), &g)
                    + pick(["", ".5", ".123456", "-0500", "+0100", "&x"], &g)
        case 2: return String(String.UnicodeScalarView((0..<Int.random(in: 0...16, using: &g)).map { _ in pick(dateScalars, &g) }))
        case 3: return year + month + day + "T" + digits(4, &g)
        default: return year + month + day
        }
    }

    static func date(_ g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<8, using: &g) {
        case 0: return (0..<Int.random(in: 2...4, using: &g)).map { _ in oneDate(&g) }.joined(separator: "\\")
        case 1: return oneDate(&g) + pick(["\\", "\\\\", "\\x"], &g)
        case 2: return String(oneDate(&g).prefix(Int.random(in: 0...8, using: &g)))
        default: return oneDate(&g)
        }
    }
}
