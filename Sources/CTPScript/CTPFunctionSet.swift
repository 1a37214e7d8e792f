import Foundation

/// The hashing and date operations CTP's DicomAnonymizer functions rely on, supplied by the caller so that this
/// module does not fix them (the conforming type reproduces CTP's `AnonymizerFunctions` byte for byte).
///
/// The evaluator does the element look-ups, the multi-value splitting on `\` and CTP's fallbacks (a missing
/// element gives `@remove()`, a short date `@empty()`, a failure the argument text); these operations work on
/// one value. A thrown error (``CTPScriptError/Code/functionFailed``) makes the evaluator fall back the way CTP
/// does when its function throws.
public protocol CTPFunctionSet: Sendable {
    /// `@hashuid`: `prefix` (ending in `.`) followed by a hash of `uid`.
    func hashUID(prefix: String, uid: String) throws(CTPScriptError) -> String
    /// `@hash`: the MD5 of `value` as a base-10 digit string, at most `maxLength` digits.
    func hash(_ value: String, maxLength: Int) throws(CTPScriptError) -> String
    /// `@hashptid`: a hash of `siteID` and `patientID`, at most `maxLength` characters.
    func hashPatientID(siteID: String, patientID: String, maxLength: Int) throws(CTPScriptError) -> String
    /// `@hashname`: a hash of the first `wordCount` words of a person name, `maxLength` characters.
    func hashName(_ name: String, maxLength: Int, wordCount: Int) throws(CTPScriptError) -> String
    /// `@initials`: the initials of a person name, family name initial last.
    func initials(_ name: String) -> String
    /// `@round`: an age string (`045Y`) rounded to a multiple of `width`.
    func roundAge(_ age: String, width: Int) throws(CTPScriptError) -> String
    /// `@incrementdate`: one date (`YYYYMMDD...`) moved by `days`.
    func incrementDate(_ date: String, days: Int) throws(CTPScriptError) -> String
    /// `@modifydate`: one date with year, month and day replaced; -1 keeps that field.
    func modifyDate(_ date: String, year: Int, month: Int, day: Int) throws(CTPScriptError) -> String
    /// `@hashdate`: one date moved back by an offset derived from a hash of `value` (e.g. the PatientID).
    func hashDate(_ date: String, hashOf value: String) throws(CTPScriptError) -> String
    /// `@date(sep)`: the date of `now` as `yyyy` sep `MM` sep `dd`.
    func date(separator: String, at now: Date) -> String
    /// `@time(sep)`: the time of `now` as `HH` sep `mm` sep `ss`.
    func time(separator: String, at now: Date) -> String
}
