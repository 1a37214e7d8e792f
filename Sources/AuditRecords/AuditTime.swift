#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time a record is written, ISO 8601 in UTC with milliseconds (`2026-12-07T18:55:28.123Z`).
public enum AuditTime {
    /// Now. Written from the clock with gmtime_r: a Foundation ISO8601DateFormatter made for every record cost
    /// more than the rest of the record (`dicom-review check --key` writes one per file).
    public static func now() -> String {
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
        return date + "T" + time + "." + digits(Int32(clock.tv_nsec / 1_000_000), 3) + "Z"
    }
}
