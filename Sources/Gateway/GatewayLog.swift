#if canImport(Glibc)
import Glibc
#endif
import AuditRecords
import Synchronization

/// The gateway's operational log: one JSON object per line on standard error (time, event, fields). It names
/// callers, addresses and spool files, never a value of a received instance.
package final class GatewayLog: Sendable {
    private let lock = Mutex(())
    /// Where lines go (standard error; a test collects them).
    private let sink: @Sendable (String) -> Void
    /// Told each event's name (the status counts follow the log: one place says what happened).
    private let observer: (@Sendable (String) -> Void)?

    package init(sink: @escaping @Sendable (String) -> Void = GatewayLog.standardError,
                 observer: (@Sendable (String) -> Void)? = nil) {
        self.sink = sink
        self.observer = observer
    }

    /// Writes one line: `{"event":…,"time":…, fields…}`, fields in the order given.
    package func write(_ event: String, _ fields: [(String, String)] = []) {
        var line = "{\"time\":\(Self.quoted(AuditTime.now())),\"event\":\(Self.quoted(event))"
        for (name, value) in fields { line += ",\(Self.quoted(name)):\(Self.quoted(value))" }
        line += "}\n"
        lock.withLock { _ in sink(line) }
        observer?(event)
    }

    /// Writes `line` to standard error in one write(2), so concurrent processes' lines do not interleave.
    package static let standardError: @Sendable (String) -> Void = { line in
        let bytes = Array(line.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            written += n
        }
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let digits = Array("0123456789abcdef")
                out += "\\u00" + String(digits[Int(scalar.value >> 4)]) + String(digits[Int(scalar.value & 0xF)])
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
