/// What to do with one element, from the text its rule produced (CTP `DICOMAnonymizer.processElements`).
public enum CTPOutcome: Hashable, Sendable {
    /// Leave the element as it is (`@keep()`).
    case keep
    /// Remove the element (`@remove()` anywhere in the result).
    case remove
    /// Keep the element with an empty value (`@empty()`, or an empty result).
    case empty
    /// Replace the value with this many spaces (`@blank(n)`, at most 55, CTP's limit).
    case blank(Int)
    /// Replace the value with this text (trimmed).
    case set(String)
    /// `@process()`: for a sequence, apply the script to every item's data set (with ``CTPEvaluationContext/isRootDataSet``
    /// false) and keep the sequence; for any other element, keep it.
    case process
    /// `@skip()`: do not export this file at all.
    case skipFile
    /// `@quarantine()`, or a `@lookup`/`@integer` that found no value: set the file aside, with the reason.
    case quarantineFile(String)
}
