/// A day as `java.util.GregorianCalendar` reports it (see ``JavaCalendar``).
struct JavaCalendarDate: Equatable {
    /// Astronomical year: 0 is 1 BC.
    var year: Int64
    /// 1...12.
    var month: Int64
    /// 1...31.
    var day: Int64

    /// The `YEAR` field Java reports: era-relative, so 1 BC and 1 AD are both 1.
    var eraYear: Int64 { year <= 0 ? 1 - year : year }
    var isBC: Bool { year <= 0 }
}
