import Foundation

/// The threads a batch runs its per-file work on: one stack size for every batch (the reader and the rules
/// recurse into nested sequences; 8 MB holds the deepest nesting the reader accepts).
package enum WorkerThreads {
    /// The stack size of every worker thread.
    package static let stackSize = 8 << 20

    /// Starts `count` threads running `body` (given the thread's number, from 0) and returns at once.
    package static func start(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        for number in 0..<count {
            let thread = Thread { body(number) }
            thread.stackSize = stackSize
            thread.start()
        }
    }

    /// Runs `body` on `count` threads and returns when every one has returned.
    package static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for _ in 0..<count { group.enter() }
        start(count) { number in
            body(number)
            group.leave()
        }
        group.wait()
    }
}
