/// An input of a batch: a file, and whatever else its job needs to know about it.
package protocol BatchInput: Sendable {
    /// The input file's path, as reports and the audit log name it.
    var path: String { get }
}

/// Runs the per-file work of a batch on `jobs` threads and commits outputs in input order, so output names,
/// messages and the audit log are the same whatever the scheduling.
///
/// Two parts: an ``OrderedWorkQueue`` runs the work and hands outcomes over in input order; an
/// ``OutputCommitter`` on the calling thread flushes each group of temporaries to disk with one syncfs (after
/// `beforeCommit`, which makes the mapping database's new numbers durable first), then moves each into place.
/// No output appears under its name before its bytes are on disk.
package final class BatchProcessor<Input: BatchInput>: Sendable {
    private let inputs: [Input]
    private let jobs: Int
    private let output: OutputSettings?
    private let audit: AuditLog?
    private let reporter: any BatchReporter
    private let beforeCommit: (@Sendable () throws -> Void)?

    /// - Parameters:
    ///   - output: where outputs go; nil when nothing is written (verification).
    ///   - audit: the log that gets one record per input.
    ///   - reporter: told what happens to each input, in input order.
    ///   - beforeCommit: runs before each group of outputs is flushed and named; when it throws, the group's
    ///     outputs are not written.
    package init(inputs: [Input], jobs: Int, output: OutputSettings?, audit: AuditLog?, reporter: any BatchReporter,
                beforeCommit: (@Sendable () throws -> Void)? = nil) {
        self.inputs = inputs
        self.jobs = max(1, jobs)
        self.output = output
        self.audit = audit
        self.reporter = reporter
        self.beforeCommit = beforeCommit
    }

    /// Processes every input with `work` and returns the counts. `work` writes its output as a temporary file
    /// in the output folder without syncing it.
    /// - Parameter redo: makes an input's output again with a distinct SOP Instance UID, for an input that
    ///   gives the instance UID of an earlier one with different content; nil fails such inputs.
    package func run(_ work: @escaping @Sendable (Input) -> FileOutcome,
                    redo: ((Input) -> FileOutcome)? = nil) -> BatchSummary {
        let committer = OutputCommitter(output: output, audit: audit, reporter: reporter, total: inputs.count,
                                        beforeCommit: beforeCommit)
        let queue = OrderedWorkQueue<Input, FileOutcome>(inputs: inputs, jobs: jobs)
        let inputs = self.inputs
        queue.run(work) { group in
            committer.commit(group.map { (inputs[$0.index].path, $0.outcome) }) { path in
                guard let redo, let input = inputs.first(where: { $0.path == path }) else {
                    return .failed(JobError(.duplicateInstance, "another input has this SOP Instance UID with different content; not written"))
                }
                return redo(input)
            }
        }
        reporter.finished()
        committer.finish()
        return committer.summary
    }
}
