import Foundation
import Hashing
import Testing
@testable import CTPScript

/// Named behaviour of the CTP functions: documented examples, empty values, multi-valued values, invalid dates,
/// the keyed variant, and the digest primitives. Values marked "CTP" were produced by CTP's jars
/// (Scripts/ctp-vectors).
struct CTPFunctionsTests {
    // MARK: Digest primitives

    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5MatchesRFC1321TestSuite(input: String, hex: String) {
        let digest = MD5.digest(Array(input.utf8))
        #expect(digest.map { String(format: "%02x", $0) }.joined() == hex)
    }

    @Test func decimalTextIsUnsignedBigEndianWithoutLeadingZeros() {
        #expect(DecimalText.unsigned([]) == "0")
        #expect(DecimalText.unsigned([0, 0]) == "0")
        #expect(DecimalText.unsigned([0, 1, 0]) == "256")
        #expect(DecimalText.unsigned([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == "18446744073709551615")
        #expect(DecimalText.unsigned([UInt8](repeating: 0xFF, count: 16)) == "340282366920938463463374607431768211455")
    }

    // MARK: Hashes

    @Test func hashOfEmptyValueIsHashOfEmptyString() {
        // CTP: MD5("") read as an unsigned decimal number.
        #expect(CTPFunctions.hash("", maxLength: nil) == "281949768489412648962353822266799178366")
        #expect(CTPFunctions.hash("", maxLength: 4) == "2819")
        #expect(CTPFunctions.hash("", maxLength: 0) == "281949768489412648962353822266799178366")
        #expect(CTPFunctions.hash("", maxLength: -3) == "281949768489412648962353822266799178366")
    }

    @Test func hashUIDAddsDotToRootOnlyWhenMissingAndNonEmpty() {
        let digits = "156135661645506854581946009447922704130"  // CTP, MD5 of 1.2.840.10008.1.2
        #expect(CTPFunctions.hashUID(prefix: "1.2.3", uid: "1.2.840.10008.1.2") == "1.2.3." + digits)
        #expect(CTPFunctions.hashUID(prefix: " 1.2.3. ", uid: "1.2.840.10008.1.2") == "1.2.3." + digits)
        #expect(CTPFunctions.hashUID(prefix: "", uid: "1.2.840.10008.1.2") == digits)
        #expect(CTPFunctions.hashUID(prefix: ".", uid: "1.2.840.10008.1.2") == "." + digits)
    }

    @Test func hashUIDIsCutAt64Characters() {
        let root = "1.2.826.0.1.3680043.10.999.123456789.123456789.123456789"
        let uid = CTPFunctions.hashUID(prefix: root, uid: "1.2.3.4")
        #expect(uid.count == 64)
        #expect(uid.hasPrefix(root + "."))
    }

    @Test func hashPatientIDTrimsBothParts() {
        #expect(CTPFunctions.hashPatientID(siteID: " SITE1 ", patientID: " PID-0001 ", maxLength: 10)
                == CTPFunctions.hash("[SITE1]PID-0001", maxLength: 10))
        #expect(CTPFunctions.hashPatientID(siteID: "", patientID: "", maxLength: nil) == CTPFunctions.hash("[]", maxLength: nil))
    }

    @Test func hashNameUsesFirstWordsNormalized() {
        let full = CTPFunctions.hashName("O'Brien^Mary.Kate^Q", maxLength: 0)
        #expect(full == CTPFunctions.hash("OBRIENMARYKATEQ", maxLength: nil))
        #expect(CTPFunctions.hashName("O'Brien^Mary.Kate^Q", maxLength: 6, wordCount: 2)
                == CTPFunctions.hash("OBRIENMARYKATE", maxLength: 6))
        #expect(CTPFunctions.hashName("straße^x", maxLength: 0, wordCount: 1) == CTPFunctions.hash("STRASSE", maxLength: nil))
        #expect(CTPFunctions.hashName("", maxLength: 4) == "2819")
    }

    @Test func keyedHashesKeepShapeButDiffer() {
        let key: [UInt8] = Array("test-only key".utf8)
        let other: [UInt8] = Array("another key".utf8)
        for value in ["", "PID-0001", "Doe^John", "1.2.840.10008.1.2"] {
            let plain = CTPFunctions.hash(value, maxLength: nil)
            let keyed = CTPFunctions.hash(value, maxLength: nil, key: key)
            #expect(keyed != plain)
            #expect(keyed != CTPFunctions.hash(value, maxLength: nil, key: other))
            #expect(keyed == CTPFunctions.hash(value, maxLength: nil, key: key))
            #expect(keyed.allSatisfy { ("0"..."9").contains($0) } && (1...39).contains(keyed.count) && !keyed.hasPrefix("0"))
            #expect(CTPFunctions.hash(value, maxLength: 8, key: key) == String(keyed.prefix(8)))
            let uid = CTPFunctions.hashUID(prefix: "1.2.3", uid: value, key: key)
            #expect(uid == "1.2.3." + keyed)
            #expect(CTPFunctions.hashDate("20240101", hashOf: value, key: key)
                    == CTPFunctions.incrementDate("20240101", days: CTPFunctions.hashDateShift(value, key: key)))
        }
    }

    // MARK: Names and ages

    @Test(arguments: [
        ("Doe^John", "JD"), ("DOE^JANE^Q", "JQD"), ("", "X"), ("  ", "X"), ("^^", "X"), ("Doe,John Q", "JQD"),
        ("de la Cruz^José", "LCJD"), ("Straße^Groß", "GS"), ("TEST^\u{1D400}math", "?T"), ("ß^a", "ASS"),
    ])
    func initialsPutFamilyInitialLast(name: String, expected: String) {
        #expect(CTPFunctions.initials(name) == expected)
    }

    @Test func roundKeepsUnitAndEvenLength() {
        #expect(CTPFunctions.round(age: "027Y", width: 5) == "025Y")
        #expect(CTPFunctions.round(age: "032Y", width: 5) == "030Y")
        #expect(CTPFunctions.round(age: "032Y", width: 3) == "033Y")
        #expect(CTPFunctions.round(age: "002Y", width: 1) == "2Y")       // CTP: "2Y" is already even
        #expect(CTPFunctions.round(age: "12M", width: 5) == "010M")
        #expect(CTPFunctions.round(age: "027Y", width: 0) == "0Y")       // CTP: 27/0 rounds to int max, times 0
        #expect(CTPFunctions.round(age: "", width: 5) == "")
        #expect(CTPFunctions.round(age: "  ", width: 5) == "")
        #expect(CTPFunctions.round(age: "Y", width: 5) == nil)           // CTP throws
    }

    // MARK: Dates

    @Test func incrementDateFollowsJavaCalendar() {
        #expect(CTPFunctions.incrementDate("20240229", days: 1) == "20240301")
        #expect(CTPFunctions.incrementDate("2024-02-29", days: 365) == "2025-02-28")
        #expect(CTPFunctions.incrementDate("20230230", days: 0) == "20230302")    // lenient day
        #expect(CTPFunctions.incrementDate("20231301", days: 0) == "20240101")    // lenient month
        #expect(CTPFunctions.incrementDate("15821004", days: 1) == "15821015")    // Julian to Gregorian
        #expect(CTPFunctions.incrementDate("15000229", days: 0) == "15000229")    // Julian leap year
        #expect(CTPFunctions.incrementDate("00120305", days: 0) == "19120305")    // CTP's "00" -> "19"
        #expect(CTPFunctions.incrementDate("20240101120000.5", days: 1) == "20240102120000.5")
        #expect(CTPFunctions.incrementDate("20241231235959", days: 1) == "20250101235959")
        #expect(CTPFunctions.incrementDate("20240101990000", days: 0) == "20240105990000")  // 99 h roll over
    }

    @Test func emptyAndShortDatesAreNil() {
        for value in ["", "2024010", "       "] {
            #expect(CTPFunctions.incrementDate(value, days: 1) == nil)
            #expect(CTPFunctions.modifyDate(value, year: 2000, month: nil, day: nil) == nil)
            #expect(CTPFunctions.hashDate(value, hashOf: "PID-0001") == nil)
        }
    }

    @Test func invalidDatesAreNil() {
        for value in ["abcdefgh", "2024AB01", "2024010112", "20240101120000+0500", "\\20240101", "20240101\\bad"] {
            #expect(CTPFunctions.incrementDate(value, days: 1) == nil, "\(value)")
            #expect(CTPFunctions.modifyDate(value, year: nil, month: 1, day: nil) == nil, "\(value)")
            #expect(CTPFunctions.hashDate(value, hashOf: "x") == nil, "\(value)")
        }
    }

    @Test func multiValuedDatesChangeEachValue() {
        #expect(CTPFunctions.incrementDate("20240101\\20240201", days: 1) == "20240102\\20240202")
        #expect(CTPFunctions.incrementDate("20240101\\", days: 1) == "20240102")       // Java split drops it
        #expect(CTPFunctions.incrementDate("\\\\\\\\\\\\\\\\", days: 1) == "")         // CTP: nothing left
        #expect(CTPFunctions.modifyDate("20240115\\20230620", year: nil, month: nil, day: 1) == "20240101\\20230601")
        let shift = CTPFunctions.hashDateShift("PID-0001")
        #expect(CTPFunctions.hashDate("20240101\\20240102", hashOf: "PID-0001")
                == CTPFunctions.incrementDate("20240101\\20240102", days: shift))
    }

    @Test func modifyDateKeepsStarFields() {
        #expect(CTPFunctions.dateField("*") == nil)
        #expect(CTPFunctions.dateField(" 12 ") == 12)
        #expect(CTPFunctions.modifyDate("20240229", year: 2023, month: nil, day: nil) == "20230301")
        #expect(CTPFunctions.modifyDate("2024-02-29", year: nil, month: 13, day: nil) == "2025-01-29")
        #expect(CTPFunctions.modifyDate("20240229", year: nil, month: nil, day: 0) == "20240131")
        #expect(CTPFunctions.modifyDate("20240229", year: -1, month: -1, day: -1) == "20240229")
        #expect(CTPFunctions.modifyDate("20240229", year: 0, month: 1, day: 1) == "00010101")  // 1 BC
    }

    @Test func hashDateShiftIsOneToTenYearsBack() {
        for index in 0..<2_000 {
            let shift = CTPFunctions.hashDateShift("PID-\(index)")
            #expect((-3_649)...(-1) ~= shift)
        }
    }

    @Test func dateAndTimeUseTheGivenZone() throws {
        let now = Date(timeIntervalSince1970: 1_767_225_599)  // 2025-12-31T23:59:59Z
        let utc = try #require(TimeZone(identifier: "UTC"))
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        #expect(CTPFunctions.date(separator: "", now: now, timeZone: utc) == "20251231")
        #expect(CTPFunctions.date(separator: "-", now: now, timeZone: tokyo) == "2026-01-01")
        #expect(CTPFunctions.time(separator: ":", now: now, timeZone: utc) == "23:59:59")
        #expect(CTPFunctions.time(separator: "", now: now, timeZone: tokyo) == "085959")
    }
}
