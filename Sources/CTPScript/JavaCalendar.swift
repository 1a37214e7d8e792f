/// The day arithmetic of a lenient `java.util.GregorianCalendar` in UTC, which is what CTP's date functions rest on.
///
/// Java's calendar is a hybrid: Julian before 1582-10-15, Gregorian from then on, with the ten missing days
/// skipped. Out-of-range fields roll over (month 13 is January of the next year, day 0 the last day of the month
/// before), and years at or below 0 belong to the BC era, whose `YEAR` field counts back from 1. Days are "fixed
/// dates" (day 1 = Gregorian 0001-01-01), as in Java's own implementation.
enum JavaCalendar {
    /// The fixed date of Gregorian 1582-10-15, the first Gregorian day.
    static let cutover: Int64 = 577_736
    static let cutoverYear: Int64 = 1582

    /// The fixed date for lenient fields: `month0` is Java's zero-based `MONTH` (any value), `day` any day of month,
    /// `extraDays` whole days carried from an overflowing time of day. `year` is astronomical.
    static func fixedDate(year: Int64, month0: Int64, day: Int64, extraDays: Int64 = 0) -> Int64 {
        let normalizedYear = year + floorDiv(month0, 12)
        let month = floorMod(month0, 12) + 1
        let julian = extraDays + julianFixed(year: normalizedYear, month: month, day: 1) + day - 1
        // Java chooses the calendar from the year before the month is normalized.
        if year < cutoverYear { return julian }
        let gregorian = extraDays + gregorianFixed(year: normalizedYear, month: month, day: 1) + day - 1
        return gregorian >= cutover ? gregorian : julian
    }

    /// The calendar fields of a fixed date (Julian before the cutover, Gregorian from it).
    static func date(fixed: Int64) -> JavaCalendarDate {
        fixed >= cutover ? gregorianDate(fixed) : julianDate(fixed)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    static func isGregorianLeap(_ year: Int64) -> Bool {
        floorMod(year, 4) == 0 && (floorMod(year, 100) != 0 || floorMod(year, 400) == 0)
    }

    static func isJulianLeap(_ year: Int64) -> Bool { floorMod(year, 4) == 0 }

    static func gregorianFixed(year: Int64, month: Int64, day: Int64) -> Int64 {
        let previous = year - 1
        var days = 365 * previous + floorDiv(previous, 4) - floorDiv(previous, 100) + floorDiv(previous, 400)
        days += floorDiv(367 * month - 362, 12)
        if month > 2 { days -= isGregorianLeap(year) ? 1 : 2 }
        return days + day
    }

    static func julianFixed(year: Int64, month: Int64, day: Int64) -> Int64 {
        let previous = year - 1
        var days = -2 + 365 * previous + floorDiv(previous, 4)
        days += floorDiv(367 * month - 362, 12)
        if month > 2 { days -= isJulianLeap(year) ? 1 : 2 }
        return days + day
    }

    private static func gregorianDate(_ fixed: Int64) -> JavaCalendarDate {
        let d0 = fixed - 1
        let n400 = floorDiv(d0, 146_097)
        let d1 = floorMod(d0, 146_097)
        let n100 = d1 / 36_524
        let d2 = d1 % 36_524
        let n4 = d2 / 1_461
        let d3 = d2 % 1_461
        let n1 = d3 / 365
        var year = 400 * n400 + 100 * n100 + 4 * n4 + n1
        if n100 != 4 && n1 != 4 { year += 1 }
        let march1 = gregorianFixed(year: year, month: 3, day: 1)
        let correction: Int64 = fixed < march1 ? 0 : (isGregorianLeap(year) ? 1 : 2)
        let priorDays = fixed - gregorianFixed(year: year, month: 1, day: 1)
        let month = floorDiv(12 * (priorDays + correction) + 373, 367)
        return JavaCalendarDate(year: year, month: month, day: fixed - gregorianFixed(year: year, month: month, day: 1) + 1)
    }

    private static func julianDate(_ fixed: Int64) -> JavaCalendarDate {
        let year = floorDiv(4 * (fixed + 1) + 1_464, 1_461)
        let march1 = julianFixed(year: year, month: 3, day: 1)
        let correction: Int64 = fixed < march1 ? 0 : (isJulianLeap(year) ? 1 : 2)
        let priorDays = fixed - julianFixed(year: year, month: 1, day: 1)
        let month = floorDiv(12 * (priorDays + correction) + 373, 367)
        return JavaCalendarDate(year: year, month: month, day: fixed - julianFixed(year: year, month: month, day: 1) + 1)
    }
}
