import IdentifyingTerms

/// The UIDs of an original, and the rule for identifiers found inside a UID of its de-identified file.
///
/// A UID of the output either is the original's (kept by Retain UIDs, or derived by appending to it), or was
/// made by the de-identifier: a hash under a root the operator chose (`2.25.` and one number, or a site root
/// such as TCIA's `1.3.6.1.4.1.14519...` followed by a hash). A made UID holds nothing of the patient: a
/// number of the patient's that equals a component of its root is a coincidence, found in every UID of every
/// file. Standard UIDs (`1.2.840.10008...`: SOP classes, transfer syntaxes) are the same for everyone. So a
/// numeric ID or a date inside a UID is reported only in the original's UIDs; and there only a compact
/// `YYYYMMDD` date (a dotted form such as `5.1.2023` inside a UID is its structure).
///
/// UIDs are the values of UI attributes and, inside other text, runs of digits and dots shaped like one
/// (``looksLikeUID(_:)``).
struct OriginalUIDs: Sendable {
    private let values: Set<String>

    init(_ values: Set<String>) { self.values = values }

    /// The DICOM root: UIDs the standard defines.
    private static let dicomRoot = Array("1.2.840.10008.".utf8)

    /// Whether a match at `start..<end` of `value` counts, given the UID around it, if any.
    /// - Parameters:
    ///   - isUID: the value is a UI value (a UID whatever its shape).
    ///   - compactDate: the match is a date's `YYYYMMDD` form.
    func accepts(_ value: [UInt8], _ start: Int, _ end: Int, kind: IdentifierTerm.Kind, compactDate: Bool,
                 isUID: Bool) -> Bool {
        var low = start, high = end
        while low > 0, Self.isDigitOrDot(value[low - 1]) { low -= 1 }
        while high < value.count, Self.isDigitOrDot(value[high]) { high += 1 }
        while low < high, value[low] == UInt8(ascii: ".") { low += 1 }
        while high > low, value[high - 1] == UInt8(ascii: ".") { high -= 1 }
        let token = value[low..<high]
        guard isUID || Self.looksLikeUID(token) else { return true }
        if token.starts(with: Self.dicomRoot) { return false }
        guard isOriginal(token) else { return false }
        return kind != .date || compactDate
    }

    /// The token is one of the original's UIDs, or begins with one followed by a dot.
    private func isOriginal(_ token: ArraySlice<UInt8>) -> Bool {
        if values.isEmpty { return false }
        if values.contains(String(decoding: token, as: UTF8.self)) { return true }
        for index in token.indices where token[index] == UInt8(ascii: ".") {
            if values.contains(String(decoding: token[..<index], as: UTF8.self)) { return true }
        }
        return false
    }

    /// At least four components of digits separated by single dots, none with a leading zero (PS3.5 9.1):
    /// `5.1.2023`, `05.01.2023` and `12.5` are dates and numbers, `1.2.840.113619.2.55` a UID.
    static func looksLikeUID(_ token: ArraySlice<UInt8>) -> Bool {
        let components = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard components.count >= 4 else { return false }
        return components.allSatisfy { component in
            !component.isEmpty && (component.count == 1 || component.first != UInt8(ascii: "0"))
        }
    }

    private static func isDigitOrDot(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || byte == UInt8(ascii: ".") }
}
