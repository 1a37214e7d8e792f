/// De-identification's commit policy: one output per SOP Instance UID, the first in input order.
///
/// Inputs that share a UID were found by the pre-pass (``SharedInstances``), which gave every content but one a
/// distinct UID, so two outputs with one UID are identical copies: the later one is skipped with a note. The job
/// computed each such input's keyed digest as it read it, so the copies are told apart without reading either
/// file again. A later output with the UID of an earlier one and other content (a profile that gives different
/// inputs one UID — a fixed value, a CTP `@hashuid` of another element —, an input changed after the pre-pass, a
/// job run without one) is made again with a distinct UID, as the pre-pass would have done: two instances with
/// one UID collide in any archive, and failing the input would lose it.
package final class DuplicateInstancePolicy: CommitPolicy {
    private let job: DeidentifyJob
    /// The first input that gave each SOP Instance UID, with its content digest.
    private var first: [String: (input: String, digest: [UInt8]?)] = [:]

    package init(job: DeidentifyJob) {
        self.job = job
    }

    package func admit(_ written: WrittenOutput, input: InputScanner.Input) -> CommitDecision {
        guard let instance = written.instance else { return .place }
        guard let earlier = first[instance.sopInstanceUID] else {
            first[instance.sopInstanceUID] = (input.path, instance.contentDigest)
            return .place
        }
        if let digest = instance.contentDigest, digest == earlier.digest {
            return .skip(report: "identical copy of \(earlier.input): not written again",
                         record: Self.copyRecord(of: earlier.input))
        }
        return .remake(note: "its output would have the same SOP Instance UID as the output of \(earlier.input), whose content differs: written with a distinct new SOP Instance UID (the original is restored on re-identification)")
    }

    /// The record of an identical copy that is not written again.
    static func copyRecord(of first: String) -> DeidentificationRecord {
        var record = DeidentificationRecord()
        record.reason = "identical copy"
        record.copyOf = first
        return record
    }

    /// The input made again with a distinct SOP Instance UID (its UID was taken by another content, in this run or
    /// an earlier one into the folder).
    package func remake(_ input: InputScanner.Input) -> FileOutcome? {
        job.runAsDistinctInstance(input)
    }
}
