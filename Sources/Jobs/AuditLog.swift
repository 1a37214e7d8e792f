import Foundation

/// A JSON-lines record of a batch: one line per input, in input order. It names input paths (which may
/// carry identity), so it stays on the de-identifying side: never put it next to the de-identified output.
package final class AuditLog: @unchecked Sendable {
    private let handle: FileHandle
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
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw JobError(.auditLog, "cannot create audit log \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw JobError(.auditLog, "cannot open audit log \(path)") }
        handle.seekToEndOfFile()
        self.handle = handle
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
        handle.write(Data(line.utf8))
    }

    deinit { try? handle.close() }

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
        // Most values (UIDs, tags, paths, counts' names) need no escape: one copy. Bytes of multi-byte UTF-8
        // sequences are all 0x80 or more, so a byte test finds every character that needs one.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
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
