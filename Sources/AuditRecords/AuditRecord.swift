/// One line of an audit log: what happened to one input of a batch. The fields every kind of record has are
/// here; each log has its own record type (``DeidentificationRecord``, ``ReidentificationRecord``), shared by the
/// writer (the batch) and every reader, so no field name is spelled twice.
///
/// Written by hand, one JSON object per line, fields in the order of their names (``JSONLine``): no encoder per
/// record. Read with `Decodable` (``AuditRecordReader``), which ignores fields it does not know.
public protocol AuditRecord: Codable, Sendable {
    /// The input file, as the batch named it.
    var input: String { get set }
    /// The file written from it, when one was.
    var output: String? { get set }
    var status: RecordStatus? { get set }
    /// Why it was skipped (or, for a re-identification, why it was done: a field of the run).
    var reason: String? { get set }
    /// Why it failed, one line.
    var error: String? { get set }
    /// When the record was written (ISO 8601 UTC, ``AuditTime``), in logs that stamp it.
    var time: String? { get set }

    /// An empty record: the template of a log, or a record a batch fills.
    init()

    /// The record as one line of JSON, newline included.
    func jsonLine() -> String

    /// Fills the fields this record leaves empty from `template`: the fields a log adds to every record (who,
    /// where, which key). Fields of the record's own win.
    mutating func fillEmptyFields(from template: Self)
}

extension AuditRecord {
    /// A record of `input` with `status`.
    public init(input: String, status: RecordStatus) {
        self.init()
        self.input = input
        self.status = status
    }

    /// ``fillEmptyFields(from:)`` with a template of any record type: fills nothing when the types differ.
    public mutating func fillEmptyFields(from template: any AuditRecord) {
        if let template = template as? Self { fillEmptyFields(from: template) }
    }
}

/// What happened to an input.
public enum RecordStatus: String, Codable, Sendable {
    /// An output was written.
    case written
    /// Not processed, not an error (not DICOM in a folder, an identical copy, already done).
    case skipped
    case failed
    /// Re-identification `--verify`: the input restores, nothing written.
    case verified
    /// `dicom-review check --key`: the key opened the input's Encrypted Attributes.
    case checked
}
