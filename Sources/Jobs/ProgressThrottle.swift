import Dispatch
import Synchronization

/// When a batch reports progress: at most every ``interval`` nanoseconds, and always for the last input. Safe to
/// ask from any thread (one answer yes per interval).
package final class ProgressThrottle: Sendable {
    /// 0.1 s: often enough to look alive, rarely enough to cost nothing.
    package static let interval: UInt64 = 100_000_000

    private let total: Int
    private let last = Atomic<UInt64>(0)

    package init(total: Int) {
        self.total = total
    }

    /// Whether `done` inputs of the total are worth reporting now.
    package func shouldReport(done: Int) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let previous = last.load(ordering: .relaxed)
        // Another thread may have stored a later time since `now` was read: no subtraction.
        guard now > previous &+ Self.interval || done == total else { return false }
        return last.compareExchange(expected: previous, desired: now, ordering: .relaxed).exchanged || done == total
    }
}
