import FileSystem
import Foundation

/// A JSON-lines record of a batch: one line per input, in input order. It names input paths (which may
/// carry identity), so it stays on the de-identifying side: never put it next to the de-identified output.
package final class AuditLog: @unchecked Sendable {
    private let file: AppendOnlyFile
    package let path: String
    /// Fields written into every record (who, where, which key, why).
    private let common: [String: AuditValue]
    /// Whether each record gets the time it was written (`time`, ISO 8601 UTC).
    private let stampsTime: Bool

    /// Creates (or appends to) the log at `path`, mode 0600.
    /// - Parameters:
    ///   - common: fields added to every record.
    ///   - stampsTime: add the time of writing to every record that has none.
    /// - Throws: ``JobError`` when it cannot be opened.
    package init(path: String, common: [String: AuditValue] = [:], stampsTime: Bool = false) throws(JobError) {
        self.path = path
        self.common = common
        self.stampsTime = stampsTime
        do { file = try AppendOnlyFile(path: path, mode: 0o600) } catch {
            throw JobError(.auditLog, "cannot open audit log \(path): \(error)")
        }
    }

    /// Appends one record.
    package func append(_ record: [String: AuditValue]) {
        var record = record.merging(common) { own, _ in own }
        if stampsTime, record["time"] == nil { record["time"] = Self.now() }
        var line = "{"
        for (n, key) in record.keys.sorted().enumerated() {
            if n > 0 { line += "," }
            line += Self.quote(key) + ":" + (record[key] ?? .null).json
        }
        line += "}\n"
        do { try file.append(Array(line.utf8)) } catch {
            // Not silent: the run goes on, but the missing record is said (one line, the log's path, no values).
            let message = Array("error: audit log \(path): \(error)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// The current time, ISO 8601 in UTC with milliseconds.
    /// Written from the clock with gmtime_r: a Foundation ISO8601DateFormatter made for every record cost more than
    /// the rest of the record (`dicom-review check --key` writes one per file).
    package static func now() -> AuditValue {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        var seconds = time_t(clock.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let date = digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2)
        let time = digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2)
        return .string(date + "T" + time + "." + digits(Int32(clock.tv_nsec / 1_000_000), 3) + "Z")
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// A JSON value of an audit record.
package enum AuditValue: Sendable {
    case string(String)
    case int(Int)
    case object([String: Int])
    case strings([String])
    case null

    var json: String {
        switch self {
        case .string(let s): return AuditLog.quote(s)
        case .int(let n): return String(n)
        case .null: return "null"
        case .strings(let values): return "[" + values.map(AuditLog.quote).joined(separator: ",") + "]"
        case .object(let counts):
            return "{" + counts.keys.sorted().map { AuditLog.quote($0) + ":" + String(counts[$0] ?? 0) }.joined(separator: ",") + "}"
        }
    }
}
