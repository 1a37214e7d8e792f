/// A persistent table of sequential integers, the store behind CTP's `@integer(this,type,width)`.
///
/// Numbers are counted per type from 1, in the order keys are first seen, like CTP's `IntegerTable`
/// (which keeps `type/key -> n` and the last number of each type). Every implementation guarantees:
/// - the same `(type, key)` always gets the same number, across runs, threads and processes;
/// - no two keys of one type ever share a number;
/// - a number, once returned, is durable: a process killed afterwards loses nothing, and a process killed before
///   returning leaves either nothing or a complete entry.
///
/// Keys are original identifiers (PHI): implementations never put them in errors or logs.
public protocol IntegerStore: Sendable {
    /// The number of `key` among keys of `type`, assigning the next free one (1, 2, ...) when the key is new.
    ///
    /// Like CTP, `type` and `key` are trimmed of leading and trailing spaces first.
    /// - Parameters:
    ///   - key: the original text, e.g. a patient ID.
    ///   - type: the numbering it belongs to, e.g. `ptid`.
    /// - Throws: ``MappingStoreError``
    func integer(for key: String, type: String) throws(MappingStoreError) -> Int

    /// Every assigned number, ordered by type, then number.
    /// - Throws: ``MappingStoreError``
    func entries() throws(MappingStoreError) -> [(type: String, key: String, value: Int)]

    /// Makes every number returned so far durable (on disk), for stores that defer it
    /// (``SQLiteIntegerStore/Durability/onRequest``): call it before anything that carries those numbers is
    /// committed. A no-op for stores that are durable at each number.
    /// - Throws: ``MappingStoreError``
    func makeDurable() throws(MappingStoreError)
}

extension IntegerStore {
    /// The number of `key` as text padded with leading zeros to `width` digits, as CTP's `@integer(this,type,width)`.
    ///
    /// A width of 0 or less means no padding (CTP's `%d`); a number longer than `width` is not cut.
    /// - Parameters:
    ///   - key: the original text.
    ///   - type: the numbering it belongs to.
    ///   - width: the minimum number of digits.
    /// - Throws: ``MappingStoreError``
    public func makeDurable() throws(MappingStoreError) {}

    public func formattedInteger(for key: String, type: String, width: Int) throws(MappingStoreError) -> String {
        let digits = String(try integer(for: key, type: type))
        guard width > digits.count else { return digits }
        return String(repeating: "0", count: width - digits.count) + digits
    }
}

/// The trimmed `(type, key)` pair every store files a number under, checked once for all stores.
struct IntegerKey: Hashable, Sendable {
    let type: String
    let key: String

    /// - Throws: ``MappingStoreError/Code/invalidArgument`` for an empty type or a NUL in either part.
    init(type: String, key: String) throws(MappingStoreError) {
        let type = type.trimmingSpaces(), key = key.trimmingSpaces()
        guard !type.isEmpty else {
            throw MappingStoreError(.invalidArgument, reason: "the integer type is empty")
        }
        guard !type.utf8.contains(0), !key.utf8.contains(0) else {
            throw MappingStoreError(.invalidArgument, reason: "a type or key contains a NUL character")
        }
        self.type = type
        self.key = key
    }
}
