import DICOMCodec
import Synchronization

/// The one batch engine of the toolkit: runs per-file work over a list of inputs on ``WorkerThreads``, and
/// gives the outcomes back either in input order (``ordered(_:consume:)``: de-identify, re-identify, check, whose
/// outputs, messages and logs must not depend on scheduling) or folded per worker and merged at the end
/// (``reduce(into:progress:_:merge:)``: the inventory, a sum over the files).
package struct BatchEngine<Input: BatchInput>: Sendable {
    package let inputs: [Input]
    /// Worker threads (at most one per input).
    package let jobs: Int

    package init(inputs: [Input], jobs: Int) {
        self.inputs = inputs
        self.jobs = max(1, jobs)
    }

    /// Runs `work` on every input and calls `consume`, on the calling thread, with consecutive groups of
    /// `(index, outcome)` in input order (see ``OrderedWorkQueue``). Returns when every outcome is consumed.
    package func ordered<Outcome: Sendable>(_ work: @escaping @Sendable (Input) -> Outcome,
                                           consume: ([(index: Int, outcome: Outcome)]) -> Void) {
        OrderedWorkQueue<Input, Outcome>(inputs: inputs, jobs: jobs).run(work, consume: consume)
    }

    /// Folds every input into a partial result per worker (`work` gets the input's index too), then merges the
    /// partials into one, in no particular order: for results that are sums, counts and sets.
    /// - Parameters:
    ///   - initial: makes an empty partial result.
    ///   - progress: told the number of inputs done, from any thread, throttled by ``ProgressThrottle``.
    package func reduce<Partial: Sendable>(into initial: @escaping @Sendable () -> Partial,
                                           progress: (@Sendable (Int) -> Void)? = nil,
                                           _ work: @escaping @Sendable (_ index: Int, _ input: Input, _ partial: inout Partial) -> Void,
                                           merge: (inout Partial, Partial) -> Void) -> Partial {
        let inputs = self.inputs
        let nextIndex = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let throttle = ProgressThrottle(total: inputs.count)
        let partials = Mutex<[Partial]>([])
        WorkerThreads.run(min(jobs, max(1, inputs.count))) { _ in
            var partial = initial()
            while true {
                let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < inputs.count else { break }
                work(index, inputs[index], &partial)
                let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
                if let progress, throttle.shouldReport(done: finished) { progress(finished) }
            }
            let finished = partial
            partials.withLock { $0.append(finished) }
        }
        var result = initial()
        for partial in partials.withLock({ $0 }) { merge(&result, partial) }
        return result
    }
}

/// An input of a batch: a file, and whatever else its job needs to know about it.
package protocol BatchInput: Sendable {
    /// The input file's path, as reports and the audit log name it.
    var path: String { get }
    /// Named on the command line, not found in a folder.
    var isNamed: Bool { get }
}

extension BatchInput {
    /// The one rule for an input that turns out not to be DICOM: skipped when found in a folder (folders hold
    /// reports, notes, thumbnails), a failure when named on the command line (the run did not do what was asked).
    /// - Returns: whether `error` is that case and the input is skipped rather than failed.
    package func isSkipped(by error: any Error) -> Bool {
        !isNamed && Self.isNotDICOM(error)
    }

    /// The outcome of a per-file job whose input is not DICOM, by the rule of ``isSkipped(by:)``.
    package var notDICOMOutcome: FileOutcome {
        isNamed ? .failed(JobError(.notDICOM, FileOutcome.notDICOMReason)) : .skipped(reason: FileOutcome.notDICOMReason)
    }

    /// Whether `error` says the file is not DICOM.
    package static func isNotDICOM(_ error: any Error) -> Bool {
        (error as? DICOMError)?.code == .notDICOM
    }
}
