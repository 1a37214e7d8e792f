import DICOMCore
import DICOMDictionary
import Deidentification

/// The value of a `set` rule checked against the VR of the attribute it sets, when the rule names one
/// attribute whose VR the dictionary knows (PS3.5 6.2): a value the VR cannot hold would otherwise be written
/// into every output (an 88-character LO, `not-a-date` as a DA).
enum SetValueCheck {
    /// What is wrong with `text` as the value of the attribute `matcher` names; nil when it fits, or when the
    /// VR is not known from the matcher.
    static func problem(_ text: String, for matcher: RuleMatcher) -> String? {
        guard case .tag(let tag) = matcher, !tag.isPrivate, case .single(let vr)? = DataDictionary.vr(for: tag) else {
            return nil
        }
        for value in text.split(separator: "\\", omittingEmptySubsequences: false) {
            if let problem = problem(String(value), vr: vr) {
                return "'\(text)' does not fit the VR \(vr) of \(tag): \(problem)"
            }
        }
        return nil
    }

    /// Longest value of each VR, in bytes (PS3.5 Table 6.2-1); VRs absent here have no practical limit.
    private static let maximumLength: [VR: Int] = [
        .AE: 16, .AS: 4, .CS: 16, .DA: 8, .DS: 16, .DT: 26, .IS: 12, .LO: 64, .LT: 10240, .SH: 16, .ST: 1024,
        .TM: 14, .UI: 64,
    ]

    private static func problem(_ value: String, vr: VR) -> String? {
        if value.isEmpty { return nil }
        let bytes = Array(value.utf8)
        if vr == .PN {
            for group in value.split(separator: "=", omittingEmptySubsequences: false) where group.utf8.count > 64 {
                return "a name component group longer than 64 characters"
            }
            return nil
        }
        func all(_ allowed: (UInt8) -> Bool) -> Bool { bytes.allSatisfy(allowed) }
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        switch vr {
        case .DA:
            guard bytes.count == 8, all(isDigit), let month = Int(value.dropFirst(4).prefix(2)),
                  let day = Int(value.suffix(2)), (1...12).contains(month), (1...31).contains(day) else {
                return "not a date YYYYMMDD"
            }
        case .TM:
            let whole = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let clock = whole.first, [2, 4, 6].contains(clock.count), clock.utf8.allSatisfy(isDigit),
                  let hours = Int(clock.prefix(2)), hours < 24,
                  whole.count == 1 || (clock.count == 6 && whole[1].utf8.allSatisfy(isDigit) && whole[1].count <= 6) else {
                return "not a time HHMMSS.FFFFFF"
            }
        case .DT:
            guard bytes.count >= 4, bytes.prefix(4).allSatisfy(isDigit),
                  all({ isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) else {
                return "not a date-time YYYYMMDDHHMMSS.FFFFFF&ZZXX"
            }
        case .IS:
            guard let number = Int(value.trimmingCharacters(in: " ")), number >= Int(Int32.min), number <= Int(Int32.max) else {
                return "not an integer string"
            }
        case .DS:
            guard Double(value.trimmingCharacters(in: " ")) != nil,
                  all({ isDigit($0) || " +-.eE".utf8.contains($0) }) else {
                return "not a decimal string"
            }
        case .UI:
            guard isUIDShaped(value) else { return "not a UID (digits and dots)" }
        case .CS:
            guard all({ isDigit($0) || ($0 >= 0x41 && $0 <= 0x5A) || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "_") }) else {
                return "a code string holds only upper-case letters, digits, space and underscore"
            }
        case .AS:
            guard bytes.count == 4, bytes.prefix(3).allSatisfy(isDigit), "DWMY".utf8.contains(bytes[3]) else {
                return "not an age nnnD, nnnW, nnnM or nnnY"
            }
        default:
            break
        }
        if let limit = maximumLength[vr], bytes.count > limit {
            return "\(bytes.count) characters, at most \(limit)"
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var text = Substring(self)
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return text
    }
}
