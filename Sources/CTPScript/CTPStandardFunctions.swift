import Foundation

/// The function set that gives CTP's own values (``CTPFunctions``), or, with a key, the keyed variant that
/// nobody without the key can reproduce or test a guess against (no longer CTP-compatible).
public struct CTPStandardFunctions: CTPFunctionSet {
    /// The HMAC key of the keyed variant; nil for CTP's unkeyed hashes.
    private let key: [UInt8]?
    /// The zone `@date` and `@time` report in.
    private let timeZone: TimeZone
    /// Results of the hash and date functions already computed in this run: the same UIDs, dates and
    /// Patient IDs come back in every file of a series.
    private let memo = Memo()

    public init(key: [UInt8]? = nil, timeZone: TimeZone = .current) {
        self.key = key
        self.timeZone = timeZone
    }

    /// Whether the hashes are keyed (then they differ from CTP's).
    public var isKeyed: Bool { key != nil }

    public func hashUID(prefix: String, uid: String) throws(CTPScriptError) -> String {
        memo.value(for: "u\u{0}" + prefix + "\u{0}" + uid) { CTPFunctions.hashUID(prefix: prefix, uid: uid, key: key) }
    }

    public func hash(_ value: String, maxLength: Int) throws(CTPScriptError) -> String {
        CTPFunctions.hash(value, maxLength: maxLength, key: key)
    }

    public func hashPatientID(siteID: String, patientID: String, maxLength: Int) throws(CTPScriptError) -> String {
        CTPFunctions.hashPatientID(siteID: siteID, patientID: patientID, maxLength: maxLength, key: key)
    }

    public func hashName(_ name: String, maxLength: Int, wordCount: Int) throws(CTPScriptError) -> String {
        CTPFunctions.hashName(name, maxLength: maxLength, wordCount: wordCount, key: key)
    }

    public func initials(_ name: String) -> String { CTPFunctions.initials(name) }

    public func roundAge(_ age: String, width: Int) throws(CTPScriptError) -> String {
        guard let rounded = CTPFunctions.round(age: age, width: width) else { throw CTPScriptError(.functionFailed) }
        return rounded
    }

    public func incrementDate(_ date: String, days: Int) throws(CTPScriptError) -> String {
        guard let moved = CTPFunctions.incrementDate(date, days: days) else { throw CTPScriptError(.functionFailed) }
        return moved
    }

    public func modifyDate(_ date: String, year: Int, month: Int, day: Int) throws(CTPScriptError) -> String {
        func field(_ value: Int) -> Int? { value == -1 ? nil : value }
        guard let modified = CTPFunctions.modifyDate(date, year: field(year), month: field(month), day: field(day)) else {
            throw CTPScriptError(.functionFailed)
        }
        return modified
    }

    public func hashDate(_ date: String, hashOf value: String) throws(CTPScriptError) -> String {
        let shifted = memo.value(for: "d\u{0}" + date + "\u{0}" + value) {
            CTPFunctions.hashDate(date, hashOf: value, key: key) ?? ""
        }
        // CTP's own results are never empty: empty stands for "no date".
        guard !shifted.isEmpty else { throw CTPScriptError(.functionFailed) }
        return shifted
    }

    public func date(separator: String, at now: Date) -> String {
        CTPFunctions.date(separator: separator, now: now, timeZone: timeZone)
    }

    public func time(separator: String, at now: Date) -> String {
        CTPFunctions.time(separator: separator, now: now, timeZone: timeZone)
    }
}

/// Results already computed, shared by the threads of a run; emptied when it grows large.
///
/// Guarded by a pthread mutex (NSLock) rather than `Synchronization.Mutex`, whose futex-based locking
/// ThreadSanitizer cannot see, so race checks of the CLI stay meaningful.
final class Memo: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]
    private static let capacity = 200_000

    func value(for key: String, compute: () -> String) -> String {
        lock.lock()
        let known = values[key]
        lock.unlock()
        if let known { return known }
        let computed = compute()
        lock.lock()
        if values.count >= Self.capacity { values.removeAll(keepingCapacity: true) }
        values[key] = computed
        lock.unlock()
        return computed
    }
}
