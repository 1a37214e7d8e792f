import FileSystem
import Foundation

/// Writes an ``Inventory`` as `inventory.json`, `inventory.csv` and `inventory.html` (``InventoryReport``).
public enum InventoryWriter {
    /// The JSON form: the contract with the HTML report (keys sorted, pretty-printed).
    /// - Throws: ``LeftoverCheckError`` `.reportFailed`, caused by the `EncodingError`.
    public static func json(_ inventory: Inventory) throws(LeftoverCheckError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(inventory)
        } catch {
            throw LeftoverCheckError(.reportFailed, cause: error)
        }
    }

    /// The CSV form (RFC 4180): a header line, then one line per row. VRs and flags are joined with `|`;
    /// the `examples` column (joined with `|`) is there only when the inventory has examples, and the
    /// `knowledge_base` column only when it was made with a private tag knowledge base.
    public static func csv(_ inventory: Inventory) -> String {
        let withExamples = inventory.rows.contains { $0.examples != nil }
        let withBase = inventory.knowledgeBase != nil
        var header = ["key", "keyword", "path", "vrs", "files", "occurrences", "distinct_values",
                      "distinct_is_estimate", "min_length", "max_length", "action", "rule", "origin", "flags"]
        if withBase { header.append("knowledge_base") }
        if withExamples { header.append("examples") }
        var lines = [header.joined(separator: ",")]
        for row in inventory.rows {
            var fields = [row.key, row.keyword, row.path, row.vrs.joined(separator: "|"), String(row.files),
                          String(row.occurrences), String(row.distinctValues), String(row.distinctIsEstimate),
                          row.minLength.map(String.init) ?? "", row.maxLength.map(String.init) ?? "",
                          row.action, row.rule, row.origin, row.flags.joined(separator: "|")]
            if withBase { fields.append(row.knowledgeBase ?? "") }
            if withExamples { fields.append((row.examples ?? []).joined(separator: "|")) }
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A field quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@` is prefixed
    /// with `'` so a spreadsheet does not run it as a formula.
    static func quoted(_ field: String) -> String {
        var text = field
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Prefix of the temporary files written beside the reports (hidden; removed when their writer is gone).
    static let temporaryPrefix = ".dicom-review-tmp-"

    /// Writes `inventory.json`, `inventory.csv` and the self-contained page `inventory.html` into `directory`
    /// (created if missing).
    ///
    /// Every report is readable by its owner only (files 0600; folders made for it 0700, an existing folder keeps
    /// its mode), with or without example values: the file flags name input paths, and collections are often
    /// filed under the patient's name or ID. Each file is written atomically (a temporary beside it, flushed,
    /// then renamed over any older report), so a reader never sees half a report; temporaries left by a killed
    /// run are removed first.
    /// - Returns: the paths written.
    /// - Throws: ``LeftoverCheckError`` `.reportFailed`, caused by the file system's error.
    @discardableResult
    public static func write(_ inventory: Inventory, to directory: String) throws(LeftoverCheckError) -> [String] {
        let jsonData = try json(inventory)
        let html = try InventoryReport.html(json: jsonData)
        let reports: [(path: String, bytes: [UInt8])] = [
            (directory + "/inventory.json", Array(jsonData)),
            (directory + "/inventory.csv", Array(csv(inventory).utf8)),
            (directory + "/inventory.html", Array(html.utf8)),
        ]
        do {
            try FileIO.makeDirectories(directory, mode: 0o700)
            FileIO.removeStaleTemporaries(in: directory, prefix: temporaryPrefix)
            for report in reports {
                try FileIO.writeAtomically(report.bytes, to: report.path, overwrite: true, mode: 0o600,
                                           prefix: temporaryPrefix)
            }
        } catch {
            throw LeftoverCheckError(.reportFailed, cause: error)
        }
        return reports.map(\.path)
    }
}
