/// Runs the per-file work of a batch on the ``BatchEngine`` and commits outputs in input order, so output
/// names, messages and the audit log are the same whatever the scheduling.
///
/// The engine hands outcomes over in input order; an ``OutputCommitter`` on the calling thread flushes each
/// group of temporaries to disk with one syncfs (after `beforeCommit`, which makes the mapping database's new
/// numbers durable first), asks the job's ``CommitPolicy`` about each output, then moves each into place.
/// No output appears under its name before its bytes are on disk.
package final class BatchProcessor<Input: BatchInput>: Sendable {
    private let engine: BatchEngine<Input>
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
        engine = BatchEngine(inputs: inputs, jobs: jobs)
        self.output = output
        self.audit = audit
        self.reporter = reporter
        self.beforeCommit = beforeCommit
    }

    /// Processes every input with `work` and returns the counts. `work` writes its output as a temporary file
    /// in the output folder without syncing it.
    /// - Parameter policy: the job's rule about which outputs may be placed (see ``CommitPolicy``); nil places
    ///   every output.
    package func run(_ work: @escaping @Sendable (Input) -> FileOutcome,
                    policy: (any CommitPolicy<Input>)? = nil) -> BatchSummary {
        let inputs = engine.inputs
        let committer = OutputCommitter<Input>(output: output, audit: audit, reporter: reporter, total: inputs.count,
                                               beforeCommit: beforeCommit, policy: policy)
        engine.ordered(work) { group in
            committer.commit(group.map { (inputs[$0.index], $0.outcome) })
        }
        reporter.finished()
        committer.finish()
        return committer.summary
    }
}
