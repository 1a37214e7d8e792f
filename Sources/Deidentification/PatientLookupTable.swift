import FileSystem
import Foundation

/// The user's table of new patient identities: original Patient ID -> new ID, name and optional
/// Clinical Trial attributes to insert.
///
/// CSV with a header row. Required columns: `original_patient_id`, `new_patient_id`; optional:
/// `new_patient_name`, `clinical_trial_subject_id`, `clinical_trial_site_id`, `clinical_trial_protocol_id`,
/// `clinical_trial_sponsor_name`, `clinical_trial_site_name`, `clinical_trial_protocol_name`.
/// Fields may be quoted with `"` (a doubled quote inside is a quote).
public struct PatientLookupTable: Sendable {
    /// The replacement identity of one patient.
    public struct Entry: Sendable, Hashable {
        public var newPatientID: String
        public var newPatientName: String?
        /// Tag (as `gggg_eeee`) -> value of Clinical Trial attributes to insert.
        public var clinicalTrial: [UInt32: String]
    }

    static let clinicalTrialColumns: [String: UInt32] = [
        "clinical_trial_sponsor_name": 0x0012_0010,
        "clinical_trial_protocol_id": 0x0012_0020,
        "clinical_trial_protocol_name": 0x0012_0021,
        "clinical_trial_site_id": 0x0012_0030,
        "clinical_trial_site_name": 0x0012_0031,
        "clinical_trial_subject_id": 0x0012_0040,
    ]

    public let entries: [String: Entry]

    /// Parses CSV text.
    /// - Throws: ``DeidentificationError`` (`.invalidConfiguration`) naming the line, never a value.
    public init(csv text: String) throws(DeidentificationError) {
        var rows = Self.parseCSV(text)
        guard !rows.isEmpty else { throw DeidentificationError(.invalidConfiguration, "lookup table is empty") }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let originalColumn = header.firstIndex(of: "original_patient_id"),
              let newIDColumn = header.firstIndex(of: "new_patient_id") else {
            throw DeidentificationError(.invalidConfiguration,
                                        "lookup table header needs original_patient_id and new_patient_id columns")
        }
        for name in header where name != "original_patient_id" && name != "new_patient_id"
            && name != "new_patient_name" && Self.clinicalTrialColumns[name] == nil {
            throw DeidentificationError(.invalidConfiguration, "lookup table has an unknown column '\(name)'")
        }
        var entries: [String: Entry] = [:]
        for (n, row) in rows.enumerated() where !(row.count == 1 && row[0].isEmpty) {
            let line = n + 2
            guard row.count == header.count else {
                throw DeidentificationError(.invalidConfiguration,
                                            "lookup table line \(line) has \(row.count) fields, header has \(header.count)")
            }
            let original = row[originalColumn]
            guard entries[original] == nil else {
                throw DeidentificationError(.invalidConfiguration, "lookup table line \(line) repeats an original Patient ID")
            }
            guard !row[newIDColumn].isEmpty, row[newIDColumn].utf8.count <= 64 else {
                throw DeidentificationError(.invalidConfiguration, "lookup table line \(line): new_patient_id must be 1-64 characters")
            }
            var entry = Entry(newPatientID: row[newIDColumn], newPatientName: nil, clinicalTrial: [:])
            for (index, name) in header.enumerated() {
                if name == "new_patient_name", !row[index].isEmpty { entry.newPatientName = row[index] }
                if let tag = Self.clinicalTrialColumns[name], !row[index].isEmpty { entry.clinicalTrial[tag] = row[index] }
            }
            entries[original] = entry
        }
        self.entries = entries
    }

    /// Reads a CSV file.
    /// - Throws: ``DeidentificationError`` (`.invalidConfiguration`) when the file cannot be read or parsed.
    public init(contentsOf path: String) throws(DeidentificationError) {
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path: path) } catch {
            throw DeidentificationError(.invalidConfiguration, "cannot read lookup table \(path): \(error)")
        }
        try self.init(csv: String(decoding: bytes, as: UTF8.self))
    }

    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = iterator.next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": row.append(field); field = ""
            case "\r": continue
            case "\n": row.append(field); rows.append(row); row = []; field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
