import Hashing
import Foundation

/// Shifts dates by a per-patient number of days for the Retain Longitudinal Temporal Information with
/// Modified Dates Option (PS3.15 E.3.6): intervals within a patient are kept, calendar dates are not.
public struct DateShifter: Sendable {
    /// Days subtracted from every date of the patient (1...3650).
    public let days: Int

    /// The shift for a patient, from a keyed hash of the original Patient ID.
    public init(secret: [UInt8], patientID: String) {
        let digest = KeyedDigest.hmacSHA256(key: secret, message: Array("date-shift:".utf8) + Array(patientID.utf8))
        let n = Int(digest[0]) << 8 | Int(digest[1])
        days = 1 + n % 3650
    }

    public init(days: Int) { self.days = days }

    /// A DA value `YYYYMMDD` moved back by ``days``; nil when the value is not a valid date.
    public func shiftDate(_ text: Substring) -> String? {
        guard text.count == 8, text.allSatisfy(\.isASCII), let y = Int(text.prefix(4)),
              let m = Int(text.dropFirst(4).prefix(2)), let d = Int(text.suffix(2)) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              calendar.component(.day, from: date) == d,
              let moved = calendar.date(byAdding: .day, value: -days, to: date) else { return nil }
        let c = calendar.dateComponents([.year, .month, .day], from: moved)
        guard let ny = c.year, let nm = c.month, let nd = c.day, ny > 0 else { return nil }
        return String(format: "%04d%02d%02d", ny, nm, nd)
    }

    /// A DT value `YYYYMMDD[HHMMSS[.FFFFFF]][&ZZXX]` with its date moved back; a DT of only a year or
    /// year and month cannot be shifted by days and returns nil.
    public func shiftDateTime(_ text: Substring) -> String? {
        guard text.count >= 8, let date = shiftDate(text.prefix(8)) else { return nil }
        return date + text.dropFirst(8)
    }
}
