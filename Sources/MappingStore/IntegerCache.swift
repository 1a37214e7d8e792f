import Foundation

/// Numbers already read from or written to a store, so a de-identifier working on many files at once asks the
/// database only for keys it has not seen. Safe to share: an assigned number never changes.
///
/// Guarded by an `NSLock` rather than `Synchronization.Mutex`: ThreadSanitizer does not see the mutex's futex
/// locking and reports every access as a race, which would hide real ones.
final class IntegerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var numbers: [IntegerKey: Int] = [:]

    /// The cached number of `key`, if any.
    func number(for key: IntegerKey) -> Int? {
        lock.withLock { numbers[key] }
    }

    /// Remembers the number the database gave `key`.
    func remember(_ number: Int, for key: IntegerKey) {
        lock.withLock { numbers[key] = number }
    }
}
