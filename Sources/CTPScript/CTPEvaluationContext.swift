import DICOMCore
import Foundation

/// What the evaluator needs from the data set being de-identified and from the mapping database.
///
/// Strings only: the caller decodes element values (multiple values joined with `\`, as CTP does) and encodes
/// the results.
public protocol CTPEvaluationContext {
    /// The original value of `tag` in the current data set (the item being processed, inside a sequence), or nil
    /// when the element is absent. For group 0002, the file meta information.
    func string(for tag: Tag) -> String?
    /// Whether `tag` is present in the current data set (a sequence or an empty element counts).
    func contains(_ tag: Tag) -> Bool
    /// Whether the current data set is the top-level one, not an item of a sequence (`@select`).
    var isRootDataSet: Bool { get }
    /// `@integer`: the sequential integer assigned to `key` within `type` (assigning the next one if new),
    /// zero-padded to `width` digits (0: no padding).
    /// - Throws: anything; the file is then quarantined.
    func integer(key: String, type: String, width: Int) throws -> String
    /// `@lookup`: the value stored for `key` within `type`, or nil when there is none.
    /// - Throws: anything; the file is then quarantined unless the call names a fallback action.
    func lookup(key: String, type: String) throws -> String?
    /// The moment `@date()` and `@time()` report; fixed per file or batch by the caller.
    var now: Date { get }
    /// What keys the patient in `@integer`, `@hash`, `@hashptid` and `@hashdate` when the key argument is an
    /// empty (or, for `@integer` and `@hashptid`, absent) Patient ID: CTP would give every such patient the same
    /// number and date shift. Nil keeps CTP's behaviour (the empty value).
    var patientKeyWithoutID: String? { get }
}

extension CTPEvaluationContext {
    /// CTP's behaviour: an empty Patient ID is the key.
    public var patientKeyWithoutID: String? { nil }
}
