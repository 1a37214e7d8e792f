/// A job's rule about which of its outputs may be placed, asked by the committer for every written output, in
/// input order, on the committer's thread: the generic committer knows names and durability, the job knows
/// what makes two outputs the same thing (``DuplicateInstancePolicy`` for de-identification).
package protocol CommitPolicy<Input>: AnyObject {
    associatedtype Input: BatchInput

    /// Whether `written`, the output of `input`, is placed, skipped or failed. Called once per written output,
    /// in input order; a policy remembers what it admitted.
    func admit(_ written: WrittenOutput, input: Input) -> CommitDecision

    /// The output of `input` made again so that it is a different output (a distinct SOP Instance UID): for an
    /// output whose name an earlier run into the same folder took with a different file
    /// (``OutputSettings/WhenTaken/distinctInstance``), or that ``admit(_:input:)`` answered with
    /// ``CommitDecision/remake(note:)``; nil when the job cannot.
    func remake(_ input: Input) -> FileOutcome?
}

/// What a ``CommitPolicy`` decides for one output.
package enum CommitDecision: Sendable {
    /// Place it.
    case place
    /// Do not write it, and say why; not an error (an identical copy of an earlier input).
    case skip(report: String, record: any AuditRecord)
    /// Do not write it: an error of the input.
    case fail(any Error)
    /// Do not write it; write the input's output made again by ``CommitPolicy/remake(_:)`` instead, with `note`
    /// as a warning (two different inputs that the profile gives one SOP Instance UID).
    case remake(note: String)
}
