import Synchronization

/// Numbers already read from or written to a store, so a de-identifier working on many files at once asks the
/// database only for keys it has not seen. Safe to share: an assigned number never changes.
final class IntegerCache: Sendable {
    private let numbers = Mutex<[IntegerKey: Int]>([:])

    /// The cached number of `key`, if any.
    func number(for key: IntegerKey) -> Int? {
        numbers.withLock { $0[key] }
    }

    /// Remembers the number the database gave `key`.
    func remember(_ number: Int, for key: IntegerKey) {
        numbers.withLock { $0[key] = number }
    }
}
