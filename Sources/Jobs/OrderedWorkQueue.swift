import Foundation
import Synchronization

/// Runs work over a list of inputs on several threads and hands the outcomes to one consumer in input order,
/// in groups of consecutive outcomes.
///
/// Workers never run more than ``window`` inputs ahead of the consumer, so memory (and whatever the outcomes hold
/// on disk) stays bounded. A group is what is ready when the consumer asks, grown for up to
/// ``minimumGroupWait`` seconds toward ``groupTarget`` outcomes: while the consumer works on one group (a flush
/// to disk, say), the workers produce the next.
package final class OrderedWorkQueue<Input: Sendable, Outcome: Sendable>: Sendable {
    private let inputs: [Input]
    private let jobs: Int
    package let window: Int
    package let groupTarget: Int
    package let minimumGroupWait: Double

    /// Outcomes waiting for their turn, shared by the workers and the consumer under `condition`.
    private final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        var pending: [Int: Outcome] = [:]
        /// The next index the consumer takes.
        var next = 0
        var finishedWorkers = 0
    }

    package init(inputs: [Input], jobs: Int, window: Int = 512, groupTarget: Int = 64, minimumGroupWait: Double = 0.02) {
        self.inputs = inputs
        self.jobs = max(1, jobs)
        self.window = max(1, window)
        self.groupTarget = max(1, groupTarget)
        self.minimumGroupWait = minimumGroupWait
    }

    /// Runs `work` on every input and calls `consume` on the calling thread with consecutive groups of
    /// `(index, outcome)`, first index 0, until every input is consumed. Returns when the workers are gone.
    package func run(_ work: @escaping @Sendable (Input) -> Outcome, consume: ([(index: Int, outcome: Outcome)]) -> Void) {
        let count = inputs.count
        let shared = Shared()
        let nextIndex = Atomic<Int>(0)
        let workers = min(jobs, max(1, count))
        let inputs = self.inputs
        let window = self.window
        let groupTarget = self.groupTarget
        WorkerThreads.start(workers) { _ in
            while true {
                let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { break }
                shared.condition.lock()
                while index >= shared.next + window { shared.condition.wait() }
                shared.condition.unlock()
                let outcome = work(inputs[index])
                shared.condition.lock()
                shared.pending[index] = outcome
                // Wake the consumer only when it can act: its next outcome, or a full group, is here.
                if index == shared.next || shared.pending.count >= groupTarget {
                    shared.condition.broadcast()
                }
                shared.condition.unlock()
            }
            shared.condition.lock()
            shared.finishedWorkers += 1
            shared.condition.broadcast()
            shared.condition.unlock()
        }
        var next = 0
        while next < count {
            let group = takeGroup(from: shared, startingAt: next, workers: workers)
            next += group.count
            consume(group)
        }
        // Every worker has delivered its last outcome; wait for them to leave their loops.
        shared.condition.lock()
        while shared.finishedWorkers < workers { shared.condition.wait() }
        shared.condition.unlock()
    }

    /// Waits for the outcome at `start`, then for a group worth one round of the consumer's work, and returns the
    /// consecutive outcomes from `start`, removed from the shared table; the workers may move on past them.
    private func takeGroup(from shared: Shared, startingAt start: Int, workers: Int) -> [(index: Int, outcome: Outcome)] {
        shared.condition.lock()
        defer { shared.condition.unlock() }
        while shared.pending[start] == nil { shared.condition.wait() }
        // Consecutive outcomes ready from `start`; counted on from where the last count stopped.
        var ready = 1
        func countReady() { while shared.pending[start + ready] != nil { ready += 1 } }
        countReady()
        let deadline = Date(timeIntervalSinceNow: minimumGroupWait)
        while ready < groupTarget, start + ready < inputs.count, shared.finishedWorkers < workers,
              shared.condition.wait(until: deadline) {
            countReady()
        }
        var group: [(index: Int, outcome: Outcome)] = []
        var index = start
        while let outcome = shared.pending.removeValue(forKey: index) {
            group.append((index, outcome))
            index += 1
        }
        shared.next = index
        shared.condition.broadcast()
        return group
    }
}
