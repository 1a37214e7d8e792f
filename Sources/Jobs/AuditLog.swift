@_exported import AuditRecords
import FileSystem
import Synchronization

/// An audit log: one typed record (``AuditRecord``) per input, one JSON line each, appended in input order to an
/// ``AppendOnlyFile``. Each record is written as it is made (a run killed between two groups keeps every line
/// it wrote) and made durable once per commit group (``sync()``), not per line.
package final class AuditLog: Sendable {
    package let path: String
    private let file: AppendOnlyFile
    /// The fields every record of this log carries (who, where, which key, why), and its record type.
    private let template: any AuditRecord
    /// Whether each record gets the time it was written.
    private let stampsTime: Bool
    /// The first write that failed since the last ``sync()``.
    private let failure = Mutex<SystemCallError?>(nil)

    /// Opens the log at `path` for appending (created mode 0600).
    /// - Parameters:
    ///   - template: the record type of this log, with the fields added to every record.
    ///   - stampsTime: add the time of writing to every record that has none.
    /// - Throws: ``JobError`` when it cannot be opened.
    package init(path: String, template: any AuditRecord, stampsTime: Bool = false) throws(JobError) {
        self.path = path
        self.template = template
        self.stampsTime = stampsTime
        do {
            file = try AppendOnlyFile(path: path, mode: 0o600)
        } catch {
            throw JobError(.auditLog, "cannot open audit log \(path): \(error)")
        }
    }

    /// An empty record of this log's type for `input`.
    package func record(input: String, status: RecordStatus) -> any AuditRecord {
        var record = type(of: template).init()
        record.input = input
        record.status = status
        return record
    }

    /// Appends `record`, with the log's fields and the time filled in where it has none.
    package func append(_ record: any AuditRecord) {
        var record = record
        record.fillEmptyFields(from: template)
        if stampsTime, record.time == nil { record.time = AuditTime.now() }
        do {
            try file.append(Array(record.jsonLine().utf8))
        } catch {
            failure.withLock { $0 = $0 ?? error }
        }
    }

    /// Makes the records appended so far durable.
    /// - Throws: ``JobError`` when a record could not be written since the last sync, or the sync failed.
    package func sync() throws(JobError) {
        if let error = failure.withLock({ failed in defer { failed = nil }; return failed }) {
            throw JobError(.auditLog, "audit log \(path): \(error)")
        }
        do {
            try file.sync()
        } catch {
            throw JobError(.auditLog, "audit log \(path): \(error)")
        }
    }
}
