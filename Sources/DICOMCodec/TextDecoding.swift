import DICOMCore

/// Text views of value bytes (PS3.5 6.1, 6.2).
public enum TextDecoding {
    /// ASCII text with trailing spaces and NULs removed (UIDs, code strings, private creators).
    public static func trimmedASCII(_ bytes: ArraySlice<UInt8>) -> String {
        let trimmed = ValuePadding.trimmingTrailing(bytes)
        var start = trimmed.startIndex
        while start < trimmed.endIndex, trimmed[start] == 0x20 { start += 1 }
        return String(decoding: trimmed[start...], as: UTF8.self)
    }
}

/// The character repertoire of a data set's text values, from Specific Character Set (0008,0005), PS3.3 C.12.1.1.2.
///
/// Decodes the default repertoire, ISO_IR 100 (Latin-1) and ISO_IR 192 (UTF-8) exactly; other repertoires
/// decode as Latin-1, which keeps every byte visible but may show the wrong letters.
public struct SpecificCharacterSet: Hashable, Sendable {
    public enum Repertoire: Hashable, Sendable { case ascii, latin1, utf8, other(String) }
    public let repertoire: Repertoire

    public static let `default` = SpecificCharacterSet(repertoire: .ascii)

    public init(repertoire: Repertoire) { self.repertoire = repertoire }

    /// The repertoire named by the (first) value of Specific Character Set.
    public init(_ element: DataElement?) {
        guard let bytes = element?.bytes else {
            self = .default
            return
        }
        let first = TextDecoding.trimmedASCII(bytes).split(separator: "\\", omittingEmptySubsequences: false)
            .first.map { $0.trimmingSpaces } ?? ""
        switch first {
        case "", "ISO_IR 6", "ISO 2022 IR 6": repertoire = .ascii
        case "ISO_IR 100", "ISO 2022 IR 100": repertoire = .latin1
        case "ISO_IR 192": repertoire = .utf8
        default: repertoire = .other(String(first))
        }
    }

    /// Decodes value bytes to a string.
    public func decode(_ bytes: ArraySlice<UInt8>) -> String {
        switch repertoire {
        case .ascii, .utf8: return String(decoding: bytes, as: UTF8.self)
        case .latin1, .other: return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
    }

    /// Encodes a string for a value in this repertoire; characters it cannot hold become `?`.
    public func encode(_ text: String) -> [UInt8] {
        switch repertoire {
        case .ascii, .utf8: return Array(text.utf8)
        case .latin1, .other: return text.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : 0x3F }
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        let utf8 = self.utf8
        var start = utf8.startIndex, end = utf8.endIndex
        while start != end, utf8[start] == 0x20 { start = utf8.index(after: start) }
        while end != start, utf8[utf8.index(before: end)] == 0x20 { end = utf8.index(before: end) }
        return self[start..<end]
    }
}

extension DataElement {
    /// The whole value as text, trailing padding (spaces, NULs) removed.
    public func string(_ charset: SpecificCharacterSet = .default) -> String? {
        guard let bytes else { return nil }
        return charset.decode(ValuePadding.trimmingTrailing(bytes))
    }

    /// The values of a multi-valued text element (split on backslash, PS3.5 6.4), each trimmed of spaces.
    public func strings(_ charset: SpecificCharacterSet = .default) -> [String] {
        guard let text = string(charset) else { return [] }
        // Split the decoded text on U+005C by its UTF-8 byte (which never occurs inside a multi-byte
        // sequence): much cheaper than splitting on Characters, same result.
        let utf8 = text.utf8
        var values: [String] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == 0x5C {
                values.append(String(text[start..<index].trimmingSpaces))
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        values.append(String(text[start..<utf8.endIndex].trimmingSpaces))
        return values
    }

    /// The 16-bit unsigned values (US, OW) in the given byte order (``ValueEncoding/uint16s(_:order:)``).
    public func uint16s(_ order: ByteOrder) -> [UInt16] {
        guard let bytes else { return [] }
        return ValueEncoding.uint16s(bytes, order: order)
    }

    /// The tags of an AT value in the given byte order (``ValueEncoding/tags(_:order:)``).
    public func tags(_ order: ByteOrder) -> [Tag] {
        guard let bytes else { return [] }
        return ValueEncoding.tags(bytes, order: order)
    }
}
