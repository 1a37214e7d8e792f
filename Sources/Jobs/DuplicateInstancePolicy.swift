/// De-identification's commit policy: one output per SOP Instance UID, the first in input order.
///
/// Inputs that share a UID were found by the pre-pass (``SharedInstances``), which gave every content but one a
/// distinct UID, so two outputs with one UID are identical copies: the later one is skipped with a note. The job
/// computed each such input's keyed digest as it read it, so the copies are told apart without reading either
/// file again. Two outputs with one UID and different digests (an input changed after the pre-pass, or a job run
/// without one) fail the later input: two instances with one UID collide in any archive.
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
        return .fail(JobError(.duplicateInstance, "has the SOP Instance UID of \(earlier.input) with different content, and no distinct UID was chosen for it (changed since the run began?); not written"))
    }

    /// The record of an identical copy that is not written again.
    static func copyRecord(of first: String) -> DeidentificationRecord {
        var record = DeidentificationRecord()
        record.reason = "identical copy"
        record.copyOf = first
        return record
    }

    /// The input made again with a distinct SOP Instance UID (an earlier run into the folder took its name).
    package func remake(_ input: InputScanner.Input) -> FileOutcome? {
        job.runAsDistinctInstance(input)
    }
}
