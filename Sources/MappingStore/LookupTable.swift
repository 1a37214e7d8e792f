import FileSystem
import JavaProperties
/// A lookup table for CTP's `@lookup(ElementName,KeyType)`: replacement values filed under `type/key`.
///
/// Two formats:
/// - CTP's Java properties file (what CTP's `LookupTable` loads), one entry a line:
///   ```
///   # comment
///   ptid/12345 = ANON-0001
///   ptid/67890 : @ptid/12345
///   ```
///   Separators `=`, `:` or white space; `#` and `!` comments; `\` line continuations and Java escapes
///   (`\t`, `\n`, `\uXXXX`, `\=`, `\ `).
/// - CSV with a header row `type,key,value` (RFC 4180 quoting), filed as `type/key`.
///
/// ``value(type:key:)`` follows CTP's `AnonymizerFunctions.lookup`: the key is `type.trim() + "/" + key.trim()`,
/// the value is trimmed, and a value `@othertype/otherkey` points at another entry (at most 10 hops).
/// Building the key from element values (joining several with `|`, removing backslashes, `UC`) is the
/// script's job, as in CTP's `DICOMAnonymizer`.
public struct LookupTable: Sendable {
    /// The entries as CTP files them: `type/key` -> value (untrimmed, as written).
    public private(set) var entries: [String: String]

    /// An empty table or one made from `type/key` -> value pairs.
    public init(entries: [String: String] = [:]) {
        self.entries = entries
    }

    /// Reads a properties text (CTP's format).
    public init(properties text: String) {
        self.entries = JavaProperties.dictionary(text)
    }

    /// Reads a CSV text whose first row is `type,key,value`.
    /// - Throws: ``MappingStoreError/Code/malformedTable`` for a missing header, a row without three fields or an
    ///   unterminated quote (the message gives the line, never its contents).
    public init(csv text: String) throws(MappingStoreError) {
        self.entries = try CSVParser.entries(text, location: nil)
    }

    /// Reads a file: CSV when its name ends in `.csv` (any case, as CTP decides), properties otherwise.
    /// - Parameter path: the table file (UTF-8).
    /// - Throws: ``MappingStoreError``: `unreadable` (cannot read), `malformedTable` (not UTF-8, bad CSV).
    public init(contentsOf path: String) throws(MappingStoreError) {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path: path)
        } catch {
            throw MappingStoreError(.unreadable, reason: "cannot read", location: path, cause: error)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw MappingStoreError(.malformedTable, reason: "the lookup table is not UTF-8 text", location: path)
        }
        if path.lowercased().hasSuffix(".csv") {
            self.entries = try CSVParser.entries(text, location: path)
        } else {
            self.entries = JavaProperties.dictionary(text)
        }
    }

    /// The replacement for `key` of `type`, following `@type/key` indirections; nil when there is none.
    ///
    /// nil also for an indirection to a missing entry or a chain of more than 10, where CTP throws (and then
    /// applies the script's fallback action or quarantines).
    /// - Parameters:
    ///   - type: the key type, e.g. `ptid`.
    ///   - key: the original value, e.g. a patient ID.
    public func value(type: String, key: String) -> String? {
        guard var value = entries[type.trimmingSpaces() + "/" + key.trimmingSpaces()]?.trimmingSpaces() else {
            return nil
        }
        var hops = 10
        while value.hasPrefix("@"), value.contains("/") {
            guard hops > 0, let next = entries[value.dropFirst().trimmingSpaces()] else { return nil }
            value = next.trimmingSpaces()
            hops -= 1
        }
        return value
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Sets the value of `key` of `type` (both trimmed, as ``value(type:key:)`` looks them up).
    public mutating func set(_ value: String, type: String, key: String) {
        entries[type.trimmingSpaces() + "/" + key.trimmingSpaces()] = value
    }
}
