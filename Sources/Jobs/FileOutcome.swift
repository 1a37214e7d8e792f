/// What processing one input produced.
package enum FileOutcome: Sendable {
    /// An output was written to a temporary file in the output folder; the committer moves it into place under
    /// `name` (relative to the output folder).
    case written(WrittenOutput)
    /// Checked without writing (re-identification `--verify`), with a one-line report and its audit record.
    case checked(report: String, record: any AuditRecord)
    /// Not processed, for a reason that is not an error (not DICOM, DICOMDIR).
    case skipped(reason: String)
    /// Processing failed.
    case failed(any Error)

    /// The reason of `.skipped` for an input that is not DICOM (counted apart: a run with only those found no input).
    package static let notDICOMReason = "not a DICOM file"
    /// The reason logged for an input whose output an earlier run into the folder wrote already, the same.
    package static let alreadyDoneReason = "same output already written"
}

/// An output waiting, as a temporary file, to be moved into place.
package struct WrittenOutput: Sendable {
    /// The temporary file in the output folder.
    package var temporary: String
    /// Where it goes, relative to the output folder.
    package var name: String
    /// The audit record (the committer adds input, output and status); nil when the log has nothing to add.
    package var record: (any AuditRecord)?
    /// Warnings to print with the input's name.
    package var notes: [String]
    /// Which instance this is, when it is one: two inputs giving the same instance are noticed at commit.
    package var instance: InstanceIdentity?

    package init(temporary: String, name: String, record: (any AuditRecord)? = nil, notes: [String] = [],
                instance: InstanceIdentity? = nil) {
        self.temporary = temporary
        self.name = name
        self.record = record
        self.notes = notes
        self.instance = instance
    }
}

/// The SOP Instance UID an output carries, and what its input held.
package struct InstanceIdentity: Sendable, Hashable {
    /// The output's SOP Instance UID.
    package var sopInstanceUID: String
    /// The keyed digest of the input's bytes, computed as the job read them, when the input shares its SOP
    /// Instance UID with another: equal digests are identical copies.
    package var contentDigest: [UInt8]?

    package init(sopInstanceUID: String, contentDigest: [UInt8]? = nil) {
        self.sopInstanceUID = sopInstanceUID
        self.contentDigest = contentDigest
    }
}

/// Counts at the end of a batch.
package struct BatchSummary: Sendable {
    package var written = 0
    package var checked = 0
    package var skipped = 0
    package var failed = 0
    /// The inputs that were skipped, in input order.
    package var skippedInputs: [String] = []
    /// Of those skipped, how many were not DICOM.
    package var skippedNotDICOM = 0
    /// Inputs whose output was already there, identical, from an earlier run (not written again).
    package var alreadyDone = 0

    package init() {}
}
