import DICOMCodec
import DICOMCore
import Foundation

/// The condition of a pixel rule: CTP's DicomFilter expression language, as its DicomPixelAnonymizer uses it.
///
/// `!` (not) binds tighter than `*` (and), which binds tighter than `+` (or); parentheses group. A test compares
/// the text of one top-level element (`""` when absent; numbers as decimal text; values joined by `\`) with a
/// quoted string: `Manufacturer.containsIgnoreCase("GE MEDICAL")`, `[0028,0010].equals("512")`.
public indirect enum PixelCondition: Sendable, Hashable {
    case constant(Bool)
    case test(element: Tag, method: Method, value: String)
    case not(PixelCondition)
    case and(PixelCondition, PixelCondition)
    case or(PixelCondition, PixelCondition)

    /// A comparison of element text with a string (Java `String` methods; `matches` is a whole-string regular
    /// expression, NSRegularExpression syntax; `isLessThan`/`isGreaterThan` compare the digits and dots as numbers).
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case equals, equalsIgnoreCase, contains, containsIgnoreCase, startsWith, startsWithIgnoreCase
        case endsWith, endsWithIgnoreCase, matches, matchesIgnoreCase, isLessThan, isGreaterThan
    }

    /// Whether `dataSet` (in byte order `order`) satisfies the condition.
    public func evaluate(_ dataSet: DataSet, order: ByteOrder) -> Bool {
        switch self {
        case .constant(let value): value
        case .not(let inner): !inner.evaluate(dataSet, order: order)
        case .and(let a, let b): a.evaluate(dataSet, order: order) && b.evaluate(dataSet, order: order)
        case .or(let a, let b): a.evaluate(dataSet, order: order) || b.evaluate(dataSet, order: order)
        case .test(let tag, let method, let value):
            method.compare(HeaderText.text(of: dataSet[tag], order: order), with: value)
        }
    }
}

extension PixelCondition.Method {
    func compare(_ element: String, with match: String) -> Bool {
        switch self {
        case .equals: return element == match
        case .equalsIgnoreCase: return element.lowercased() == match.lowercased()
        case .contains: return element.contains(match)
        case .containsIgnoreCase: return element.lowercased().contains(match.lowercased())
        case .startsWith: return element.hasPrefix(match)
        case .startsWithIgnoreCase: return element.lowercased().hasPrefix(match.lowercased())
        case .endsWith: return element.hasSuffix(match)
        case .endsWithIgnoreCase: return element.lowercased().hasSuffix(match.lowercased())
        case .matches, .matchesIgnoreCase:
            guard let regex = RegexCache.shared.regex(match, ignoringCase: self == .matchesIgnoreCase) else { return false }
            let range = NSRange(element.startIndex..., in: element)
            return regex.firstMatch(in: element, options: [.anchored], range: range) != nil
        case .isLessThan, .isGreaterThan:
            guard let a = Self.number(element), let b = Self.number(match) else { return false }
            return self == .isLessThan ? a < b : a > b
        }
    }

    /// The pattern anchored at both ends, as Java's `String.matches` wants the whole string to match.
    static func regex(_ pattern: String, ignoringCase: Bool) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z", options: ignoringCase ? [.caseInsensitive] : [])
    }

    static func number(_ text: String) -> Double? {
        Double(String(text.filter { $0.isASCII && ($0.isNumber || $0 == ".") }))
    }
}

/// The text a condition compares: what CTP's `getElementValue` gives for a top-level element.
enum HeaderText {
    static func text(of element: DataElement?, order: ByteOrder) -> String {
        guard let element, let bytes = element.bytes else { return "" }
        func numbers<T: FixedWidthInteger>(_ type: T.Type) -> String {
            let size = MemoryLayout<T>.size
            return stride(from: bytes.startIndex, to: bytes.endIndex - size + 1, by: size).map { start -> String in
                var value: UInt64 = 0
                for k in 0..<size {
                    let byte = UInt64(bytes[start + k])
                    value |= order == .littleEndian ? byte << UInt64(8 * k) : byte << UInt64(8 * (size - 1 - k))
                }
                return String(T(truncatingIfNeeded: value))
            }.joined(separator: "\\")
        }
        func floats(_ size: Int, _ text: (UInt64) -> String) -> String {
            stride(from: bytes.startIndex, to: bytes.endIndex - size + 1, by: size).map { start -> String in
                var value: UInt64 = 0
                for k in 0..<size {
                    let byte = UInt64(bytes[start + k])
                    value |= order == .littleEndian ? byte << UInt64(8 * k) : byte << UInt64(8 * (size - 1 - k))
                }
                return text(value)
            }.joined(separator: "\\")
        }
        switch element.vr {
        case .FL: return floats(4) { String(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case .FD: return floats(8) { String(Double(bitPattern: $0)) }
        case .US: return numbers(UInt16.self)
        case .SS: return numbers(Int16.self)
        case .UL: return numbers(UInt32.self)
        case .SL: return numbers(Int32.self)
        case .OB, .OW, .UN, .OF, .OD, .OL, .AT: return ""
        default: return element.strings().joined(separator: "\\")
        }
    }
}

/// Each rule's regular expression compiled once, not once per file it is tried on. A rules file holds a handful.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression?] = [:]

    func regex(_ pattern: String, ignoringCase: Bool) -> NSRegularExpression? {
        let key = (ignoringCase ? "i:" : "c:") + pattern
        return lock.withLock {
            if let known = compiled[key] { return known }
            let made = PixelCondition.Method.regex(pattern, ignoringCase: ignoringCase)
            compiled[key] = made
            return made
        }
    }
}
