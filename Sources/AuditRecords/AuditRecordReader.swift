import Foundation

/// Reads an audit log back into typed records.
public enum AuditRecordReader {
    /// The records of a log's bytes, in order. A line that is not a record of this type is left out: the partial
    /// last line of a killed run, a blank line, a record of a version that wrote a field differently.
    public static func records<Record: AuditRecord>(_ type: Record.Type, in bytes: [UInt8]) -> [Record] {
        let decoder = JSONDecoder()
        var records: [Record] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? decoder.decode(Record.self, from: Data(line)) { records.append(record) }
        }
        return records
    }
}
