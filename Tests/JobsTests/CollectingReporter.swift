import Foundation
import Jobs

/// A batch reporter that keeps every event, for tests.
final class CollectingReporter: BatchReporter, @unchecked Sendable {
    struct Event: Equatable {
        var input: String
        var event: BatchEvent
    }

    private let lock = NSLock()
    private var collected: [Event] = []

    var events: [Event] { lock.withLock { collected } }

    func report(_ event: BatchEvent, input: String) {
        lock.withLock { collected.append(Event(input: input, event: event)) }
    }
}
