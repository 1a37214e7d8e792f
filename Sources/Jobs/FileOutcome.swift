/// What processing one input produced.
public enum FileOutcome: Sendable {
    /// An output was written to a temporary file in the output folder; the committer moves it into place under
    /// `name` (relative to the output folder).
    case written(WrittenOutput)
    /// Checked without writing (re-identification `--verify`), with a one-line report and its audit record.
    case checked(report: String, record: [String: AuditValue])
    /// Not processed, for a reason that is not an error (not DICOM, DICOMDIR).
    case skipped(reason: String)
    /// Processing failed.
    case failed(any Error)
}

/// An output waiting, as a temporary file, to be moved into place.
public struct WrittenOutput: Sendable {
    /// The temporary file in the output folder.
    public var temporary: String
    /// Where it goes, relative to the output folder.
    public var name: String
    /// The audit record (the committer adds input, output and status).
    public var record: [String: AuditValue]
    /// Warnings to print with the input's name.
    public var notes: [String]
    /// Which instance this is, when it is one: two inputs giving the same instance are noticed at commit.
    public var instance: InstanceIdentity?

    public init(temporary: String, name: String, record: [String: AuditValue] = [:], notes: [String] = [],
                instance: InstanceIdentity? = nil) {
        self.temporary = temporary
        self.name = name
        self.record = record
        self.notes = notes
        self.instance = instance
    }
}

/// The SOP Instance UID an output carries.
public struct InstanceIdentity: Sendable, Hashable {
    /// The output's SOP Instance UID.
    public var sopInstanceUID: String

    public init(sopInstanceUID: String) {
        self.sopInstanceUID = sopInstanceUID
    }
}

/// Counts at the end of a batch.
public struct BatchSummary: Sendable {
    public var written = 0
    public var checked = 0
    public var skipped = 0
    public var failed = 0
    /// The inputs that were skipped, in input order.
    public var skippedInputs: [String] = []

    public init() {}
}
