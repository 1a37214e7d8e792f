/// CTP's reading and writing of DA and DT text (`org.rsna.util.DateUtil.getCalendar` and the formatting in
/// `AnonymizerFunctions.incrementDate` / `modifyDate`), as fixed dates of ``JavaCalendar``.
enum CTPDateText {
    /// `DateUtil.getCalendar(date)` reduced to its day: `nil` where CTP throws.
    ///
    /// CTP first drops `@`, `:`, `T`, `-` and ASCII whitespace, turns a leading `00` into `19`, and stops at a
    /// backslash; then it reads `YYYYMMDD` (Java `parseInt`, so a `+` sign and any Unicode decimal digits pass)
    /// and, when more follows, `HH`, `MM` and a float of seconds (a time zone offset with its `-` removed reads
    /// as more seconds). Every field is lenient: `20231332` is 2024-02-01, and hours past 23 roll into days.
    static func fixedDate(_ text: String) -> Int64? {
        guard let fields = fields(text) else { return nil }
        return JavaCalendar.fixedDate(year: fields.year, month0: fields.month0, day: fields.day,
                                      extraDays: fields.extraDays)
    }

    /// The calendar fields `DateUtil.getCalendar` sets, before Java normalizes them: astronomical year, zero-based
    /// month and day as read, and the whole days an hour, minute and second past one day carry over.
    struct Fields {
        var year: Int64
        var month0: Int64
        var day: Int64
        var extraDays: Int64
    }

    /// See ``fixedDate(_:)``.
    static func fields(_ text: String) -> Fields? {
        // Every character removed is ASCII, so filtering UTF-16 units is filtering scalars (a surrogate is
        // never one of them), without building an intermediate string.
        var units = text.utf16.filter { unit in
            // @ : T - and the regex spaces (space, tab, line feed, vertical tab, form feed, carriage return)
            !(unit == 0x40 || unit == 0x3A || unit == 0x54 || unit == 0x2D || unit == 0x20
                || (0x09...0x0D).contains(unit))
        }
        if units.count >= 2, units[0] == 0x30, units[1] == 0x30 { units.replaceSubrange(0..<2, with: [0x31, 0x39]) }
        if let backslash = units.firstIndex(of: 0x5C) { units.removeSubrange(backslash...) }
        guard let yearText = JavaText.substring(units, 0, 4), let year = JavaText.parseInt(yearText),
              let monthText = JavaText.substring(units, 4, 6), let month = JavaText.parseInt(monthText),
              let dayText = JavaText.substring(units, 6, 8), let day = JavaText.parseInt(dayText) else { return nil }
        var seconds: Int64 = 0
        if units.count > 8 {
            var time = Array(units[8...])
            if let ampersand = time.firstIndex(of: 0x26) { time.removeSubrange(ampersand...) }
            guard let hourText = JavaText.substring(time, 0, 2), let hour = JavaText.parseInt(hourText),
                  let minuteText = JavaText.substring(time, 2, 4), let minute = JavaText.parseInt(minuteText)
            else { return nil }
            var second: Int32 = 0
            if time.count > 4 {
                guard let value = JavaText.parseFloat(JavaText.string(time[4...])) else { return nil }
                second = JavaText.intCast(value)
            }
            seconds = (Int64(hour) * 60 + Int64(minute)) * 60 + Int64(second)
        }
        return Fields(year: Int64(year), month0: Int64(month) - 1, day: Int64(day),
                      extraDays: JavaCalendar.floorDiv(seconds, 86_400))
    }

    /// The text CTP writes for a computed day: `YYYYMMDD`, or `YYYY-MM-DD` when the input held a `-` anywhere,
    /// followed by whatever the input had beyond its first 8 (or 10) UTF-16 units, unchanged.
    static func format(_ date: JavaCalendarDate, like original: String) -> String {
        let iso = original.utf8.contains(UInt8(ascii: "-"))
        let separator = iso ? "-" : ""
        let dateLength = iso ? 10 : 8
        let units = Array(original.utf16)
        let suffix = units.count > dateLength ? JavaText.string(units[dateLength...]) : ""
        return pad(date.eraYear, 4) + separator + pad(date.month, 2) + separator + pad(date.day, 2) + suffix
    }

    /// `intToString(n, digits)`: left-padded with zeros to `digits` characters.
    static func pad(_ value: Int64, _ digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
