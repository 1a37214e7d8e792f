import Hashing
import Foundation

/// The value functions of RSNA CTP's DICOM anonymizer scripts (`@hashuid`, `@hash`, `@hashptid`, `@hashname`,
/// `@initials`, `@round`, `@incrementdate`, `@modifydate`, `@hashdate`, `@date`, `@time`), giving exactly the values
/// CTP gives.
///
/// Reference: `org.rsna.ctp.stdstages.anonymizer.AnonymizerFunctions` and the glue in `dicom/DICOMAnonymizer.java`
/// of CTP commit 361e90f (2025-05-13), with `org.rsna.util.DigestUtil` and `DateUtil`. Checked against vectors made
/// by CTP's own jars (`Scripts/ctp-vectors`) and an independent Python implementation
/// (`Scripts/ctp-functions-reference.py`).
///
/// ## Hashes
/// CTP's hash is `new BigInteger(1, MD5(UTF-8 bytes)).toString()`: the MD5 digest as an unsigned number in base
/// 10, with no leading zeros, so 1 to 39 digits (38 or 39 almost always). MD5 of a short, guessable value is not a
/// pseudonym an adversary cannot reverse: a patient ID can be found by hashing candidates.
///
/// Every hash function takes an optional `key`. With `key == nil` the output is CTP's. With a key, the digest is
/// the first 16 bytes of HMAC-SHA-256(key, UTF-8 bytes) read the same way, so outputs keep CTP's shape (digits,
/// same length distribution, same truncation rules) but cannot be recomputed without the key. Keyed outputs are
/// **not** CTP-compatible.
///
/// ## Dates
/// Dates follow CTP's `DateUtil.getCalendar` with a lenient `java.util.GregorianCalendar` in UTC: Julian before
/// 1582-10-15, fields that roll over (`20230230` is 2023-03-02), `YYYY-MM-DD` output when the input had any `-`, and
/// text past the first 8 (or 10) characters copied through. The date functions take a DICOM value as the script
/// sees it: shorter than 8 characters gives `nil` (CTP writes an empty value), and a multi-valued value is split at
/// `\` (trailing empty values dropped, as Java's `split` does) and each value changed; one unreadable value makes
/// the whole result `nil` (CTP writes an empty value). CTP's JVM uses its default time zone; these functions are
/// CTP in UTC, which differs only for zones whose daylight-saving change falls at midnight.
public enum CTPFunctions {
    // MARK: Hashes

    /// `@hashuid(root, this)`: a UID made of `prefix`, a `.` and the hash of `uid`, cut at 64 characters.
    ///
    /// Mirrors `AnonymizerFunctions.hashUID`: `prefix` is trimmed (Java `trim()`), and a `.` is appended unless it
    /// is empty or already ends with one; a hash starting with `0` (only the value 0) gets a leading `9`; the result
    /// is cut to 64 characters. `uid` is hashed as given: strip DICOM padding (trailing NUL or space) first, as
    /// CTP's element reader does.
    ///
    /// CTP's script engine (`DICOMAnonymizer.hashuid`) appends `.` to the root *before* this function trims it, and
    /// even to an empty root, so in a script an empty root gives `.` followed by the digits. Callers evaluating a
    /// script pass `root + "."` when the root does not end with `.` to get that.
    ///
    /// - Parameters:
    ///   - prefix: the UID root, usually ending with `.`.
    ///   - uid: the UID to replace.
    ///   - key: `nil` for CTP's MD5 hash; a secret for the keyed (HMAC-SHA-256, not CTP-compatible) variant.
    /// - Returns: the new UID, at most 64 characters.
    public static func hashUID(prefix: String, uid: String, key: [UInt8]? = nil) -> String {
        var root = JavaText.trim(prefix)
        if !root.isEmpty && !root.hasSuffix(".") { root += "." }
        let digits = decimalDigest(uid, key: key)
        let candidate = root + (digits.hasPrefix("0") ? "9" : "") + digits
        // ASCII (every real UID root): UTF-16 units are the bytes, and cutting the UTF-8 view needs no decoding.
        if candidate.utf8.allSatisfy({ $0 < 0x80 }) {
            return candidate.utf8.count > 64 ? String(decoding: candidate.utf8.prefix(64), as: UTF8.self) : candidate
        }
        let units = Array(candidate.utf16)
        return units.count > 64 ? JavaText.string(units[0..<64]) : candidate
    }

    /// `@hash(this, n)`: the decimal hash of `value`, cut to `maxLength` digits.
    ///
    /// Mirrors `AnonymizerFunctions.hash(string, maxlen)`. The empty string is hashed too (it does not give an empty
    /// result). In a script, an absent element gives `@remove()` instead, and an empty or unreadable `n` means no
    /// limit.
    ///
    /// - Parameters:
    ///   - value: the text to hash, exactly as stored (no trimming).
    ///   - maxLength: the most digits to keep; `nil`, 0 or negative keep all.
    ///   - key: `nil` for CTP's MD5 hash; a secret for the keyed, not CTP-compatible variant.
    /// - Returns: 1 to 39 decimal digits.
    public static func hash(_ value: String, maxLength: Int?, key: [UInt8]? = nil) -> String {
        let digits = decimalDigest(value, key: key)
        guard let maxLength, maxLength >= 1, digits.count > maxLength else { return digits }
        return String(digits.prefix(maxLength))
    }

    /// `@hashptid(SITEID, this, n)`: the hash of `"[" + siteID + "]" + patientID`, both trimmed.
    ///
    /// Mirrors `AnonymizerFunctions.hashPtID`. In a script an absent patient ID is hashed as the text `null`.
    ///
    /// - Parameters:
    ///   - siteID: the site identifier (Java-trimmed).
    ///   - patientID: the patient ID (Java-trimmed).
    ///   - maxLength: the most digits to keep; `nil`, 0 or negative keep all.
    ///   - key: `nil` for CTP's MD5 hash; a secret for the keyed, not CTP-compatible variant.
    public static func hashPatientID(siteID: String, patientID: String, maxLength: Int?, key: [UInt8]? = nil) -> String {
        hash("[" + JavaText.trim(siteID) + "]" + JavaText.trim(patientID), maxLength: maxLength, key: key)
    }

    /// `@hashname(this, n, words)`: the hash of the first `wordCount` components of a person name, normalized.
    ///
    /// Mirrors `AnonymizerFunctions.hashName`: the name is split at `^`, the first `wordCount` components are joined
    /// without separator, ASCII whitespace, `,`, `'` and `.` are removed, the rest is upper-cased (Unicode full case
    /// mapping, so `ß` becomes `SS`), and the result is hashed. In a script an unreadable `n` means 4.
    ///
    /// - Parameters:
    ///   - value: the person name (`Family^Given^Middle^Prefix^Suffix`).
    ///   - maxLength: the most digits to keep; 0 or negative keep all.
    ///   - wordCount: how many `^` components to use; `nil`, 0 or negative use all.
    ///   - key: `nil` for CTP's MD5 hash; a secret for the keyed, not CTP-compatible variant.
    public static func hashName(_ value: String, maxLength: Int, wordCount: Int? = nil, key: [UInt8]? = nil) -> String {
        let components = value.split(separator: "^", omittingEmptySubsequences: false)
        let count = wordCount.flatMap { $0 > 0 ? $0 : nil } ?? components.count
        let joined = components.prefix(count).joined()
        let kept = joined.unicodeScalars.filter { scalar in
            !(JavaText.isRegexSpace(scalar) || scalar == "," || scalar == "'" || scalar == "^" || scalar == ".")
        }
        let normalized = String(String.UnicodeScalarView(kept)).uppercased()
        return hash(normalized, maxLength: maxLength, key: key)
    }

    // MARK: Names and ages

    /// `@initials(this)`: the initials of a person name, family name last, upper-cased; `X` for an empty name.
    ///
    /// Mirrors `AnonymizerFunctions.initials`: `^` and `,` become spaces, runs of ASCII whitespace collapse, the text
    /// is Java-trimmed, the first character of each space-separated word is taken, the first (family) initial is
    /// moved to the end, and the result is upper-cased (`Doe^John^Q` gives `JQD`). CTP takes the first UTF-16 unit
    /// of a word; for a word starting outside the Basic Multilingual Plane that is half a surrogate pair, which CTP
    /// writes as `?`, and so does this function.
    public static func initials(_ name: String) -> String {
        var collapsed = String.UnicodeScalarView()
        var inSpace = false
        for scalar in name.unicodeScalars {
            let mapped: Unicode.Scalar = (scalar == "^" || scalar == ",") ? " " : scalar
            if JavaText.isRegexSpace(mapped) {
                if !inSpace { collapsed.append(" ") }
                inSpace = true
            } else {
                collapsed.append(mapped)
                inSpace = false
            }
        }
        let trimmed = JavaText.trim(String(collapsed))
        guard !trimmed.isEmpty else { return "X" }
        var letters: [String] = []
        var atWordStart = true
        for scalar in trimmed.unicodeScalars {
            if atWordStart { letters.append(scalar.value > 0xFFFF ? "?" : String(scalar)) }
            atWordStart = scalar == " "
        }
        if letters.count > 1 { letters.append(letters.removeFirst()) }
        return letters.joined().uppercased()
    }

    /// `@round(this, width)`: an age string rounded to the nearest multiple of `width`, keeping its unit letters.
    ///
    /// Mirrors `AnonymizerFunctions.round`: the ASCII digits of the trimmed value are read as a `float`, divided by
    /// `width`, rounded half up (`Math.round`), multiplied by `width` (32-bit `int` arithmetic), and followed by the
    /// value's non-digit characters; a `0` is prepended when the result has an odd length, keeping DICOM's even
    /// length. `"027Y"` with width 5 gives `"025Y"`; `"032Y"` with width 5 gives `"030Y"`.
    ///
    /// - Parameters:
    ///   - age: an AS value such as `027Y`.
    ///   - width: the bin width; CTP reads it as a 32-bit `int` (larger values wrap, as in Java).
    /// - Returns: the rounded age; `""` for an empty or blank value; `nil` when the value has no digit (CTP throws
    ///   and its script keeps the call text).
    public static func round(age: String, width: Int) -> String? {
        let trimmed = JavaText.trim(age)
        if trimmed.isEmpty { return "" }
        let digits = String(String.UnicodeScalarView(trimmed.unicodeScalars.filter(JavaText.isASCIIDigit)))
        let letters = String(String.UnicodeScalarView(trimmed.unicodeScalars.filter { !JavaText.isASCIIDigit($0) }))
        guard !digits.isEmpty, let value = Float(digits) else { return nil }
        let width32 = Int32(truncatingIfNeeded: width)
        let rounded = JavaText.round(value / Float(width32)) &* width32
        let result = String(rounded) + letters
        return result.utf16.count % 2 == 1 ? "0" + result : result
    }

    // MARK: Dates

    /// `@incrementdate(this, days)`: each date of a DA or DT value moved by `days` days.
    ///
    /// Mirrors `DICOMAnonymizer.incrementdate` over `AnonymizerFunctions.incrementDate` (see the type's Dates notes):
    /// `20240229` plus 1 is `20240301`; `2024-02-29` plus 365 is `2025-02-28`; a DT keeps its time text.
    ///
    /// - Parameters:
    ///   - date: a DA or DT value, possibly multi-valued.
    ///   - days: the shift; CTP casts it to a 32-bit `int` (larger values wrap, as in Java).
    /// - Returns: the shifted value, or `nil` when it is shorter than 8 characters or a value does not parse.
    public static func incrementDate(_ date: String, days: Int) -> String? {
        let shift = Int64(Int32(truncatingIfNeeded: days))
        return mapDates(date) { text in
            guard let fixed = CTPDateText.fixedDate(text) else { return nil }
            return CTPDateText.format(JavaCalendar.date(fixed: fixed + shift), like: text)
        }
    }

    /// `@modifydate(this, year, month, day)`: each date of a DA or DT value with some fields replaced.
    ///
    /// Mirrors `DICOMAnonymizer.modifydate` over `AnonymizerFunctions.modifyDate`. A `nil` or negative field is
    /// kept (a script's `*`, or any argument that is not an integer; see ``dateField(_:)``). Replaced fields are
    /// lenient (`month: 13` is January of the next year, `day: 0` the last day of the month before), and `year: 0`
    /// is 1 BC, written `0001`. When all three fields are replaced, a DT whose time of day runs past 24 hours moves
    /// the new date by those extra days, as CTP does (its calendar is never normalized in that case).
    ///
    /// - Returns: the modified value, or `nil` when it is shorter than 8 characters or a value does not parse.
    public static func modifyDate(_ date: String, year: Int?, month: Int?, day: Int?) -> String? {
        let newYear = year.map { Int64(Int32(truncatingIfNeeded: $0)) } ?? -1
        let newMonth = month.map { Int64(Int32(truncatingIfNeeded: $0)) } ?? -1
        let newDay = day.map { Int64(Int32(truncatingIfNeeded: $0)) } ?? -1
        return mapDates(date) { text in
            guard let fields = CTPDateText.fields(text) else { return nil }
            if newYear >= 0 && newMonth >= 0 && newDay >= 0 {
                // CTP reads no field before Calendar.set(y, m, d) here, so the calendar never normalizes: the
                // era stays AD and the days an overflowing time of day carries (`T8000` is 3 days and 8 hours)
                // are added to the new date.
                let changed = JavaCalendar.fixedDate(year: newYear, month0: newMonth - 1, day: newDay,
                                                     extraDays: fields.extraDays)
                return CTPDateText.format(JavaCalendar.date(fixed: changed), like: text)
            }
            let fixed = JavaCalendar.fixedDate(year: fields.year, month0: fields.month0, day: fields.day,
                                               extraDays: fields.extraDays)
            let current = JavaCalendar.date(fixed: fixed)
            // Calendar.set(YEAR, y) keeps the era the date was in.
            let eraYear = newYear < 0 ? current.eraYear : newYear
            let astronomicalYear = current.isBC ? 1 - eraYear : eraYear
            let month0 = newMonth < 0 ? current.month - 1 : newMonth - 1
            let dayOfMonth = newDay < 0 ? current.day : newDay
            let changed = JavaCalendar.fixedDate(year: astronomicalYear, month0: month0, day: dayOfMonth)
            return CTPDateText.format(JavaCalendar.date(fixed: changed), like: text)
        }
    }

    /// How CTP reads a `@modifydate` field argument: a Java `int` after trimming, or `nil` (keep the field) for `*`
    /// or anything else that is not one.
    public static func dateField(_ argument: String) -> Int? {
        JavaText.parseInt(JavaText.trim(argument)).map(Int.init)
    }

    /// `@hashdate(this, PatientID)`: each date of a DA or DT value moved back by 1 to 3,649 days, the shift taken
    /// from the hash of another value.
    ///
    /// Mirrors `DICOMAnonymizer.hashdate`: the last 4 digits of the full hash of `hashOf`, modulo 3,650, negated,
    /// with 0 replaced by -1 (so the shift is never 0 and never 10 years; CTP's comment says "the last 10 years").
    /// One patient's dates all move by the same amount, so intervals are kept.
    ///
    /// - Parameters:
    ///   - date: a DA or DT value, possibly multi-valued.
    ///   - hashOf: the value whose hash picks the shift, usually the patient ID as stored.
    ///   - key: `nil` for CTP's MD5 hash; a secret for the keyed, not CTP-compatible variant.
    /// - Returns: the shifted value, or `nil` when it is shorter than 8 characters or a value does not parse.
    public static func hashDate(_ date: String, hashOf: String, key: [UInt8]? = nil) -> String? {
        incrementDate(date, days: hashDateShift(hashOf, key: key))
    }

    /// The shift `@hashdate` applies for `hashOf`: -3,649...-1 days.
    public static func hashDateShift(_ hashOf: String, key: [UInt8]? = nil) -> Int {
        let digits = decimalDigest(hashOf, key: key)
        let lastFour = Int(digits.suffix(4)) ?? 0
        let shift = -(lastFour % 3_650)
        return shift == 0 ? -1 : shift
    }

    /// `@date(separator)`: today as `YYYY` separator `MM` separator `DD` in `timeZone` (CTP uses the JVM's zone).
    public static func date(separator: String, now: Date = Date(), timeZone: TimeZone = .current) -> String {
        let fields = calendarFields(now, timeZone)
        return CTPDateText.pad(Int64(fields.year ?? 0), 4) + separator + CTPDateText.pad(Int64(fields.month ?? 0), 2)
            + separator + CTPDateText.pad(Int64(fields.day ?? 0), 2)
    }

    /// `@time(separator)`: the time as `HH` separator `MM` separator `SS` (24-hour clock) in `timeZone`.
    public static func time(separator: String, now: Date = Date(), timeZone: TimeZone = .current) -> String {
        let fields = calendarFields(now, timeZone)
        return CTPDateText.pad(Int64(fields.hour ?? 0), 2) + separator + CTPDateText.pad(Int64(fields.minute ?? 0), 2)
            + separator + CTPDateText.pad(Int64(fields.second ?? 0), 2)
    }

    // MARK: Helpers

    /// CTP's `DigestUtil.getUSMD5` (unkeyed), or its keyed counterpart.
    static func decimalDigest(_ text: String, key: [UInt8]?) -> String {
        let bytes = Array(text.utf8)
        guard let key else { return DecimalText.unsigned(MD5.digest(bytes)) }
        return DecimalText.unsigned(Array(KeyedDigest.hmacSHA256(key: key, message: bytes).prefix(16)))
    }

    /// Applies `change` to each value of a multi-valued date as `DICOMAnonymizer` does; `nil` if any fails.
    private static func mapDates(_ value: String, _ change: (String) -> String?) -> String? {
        guard value.utf16.count >= 8 else { return nil }
        var out: [String] = []
        for part in JavaText.splitValues(value) {
            guard let changed = change(part) else { return nil }
            out.append(changed)
        }
        return out.joined(separator: "\\")
    }

    private static func calendarFields(_ now: Date, _ timeZone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
    }
}
