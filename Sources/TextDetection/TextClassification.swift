/// Why a text line is identifying, or that it is technical text to keep.
public enum TextClassification: Sendable, Hashable {
    /// A word matches an identifying value of the header (OCR errors tolerated).
    case headerValue(IdentifyingValue.Kind)
    /// A date in any written form.
    case date
    /// A run of six or more digits.
    case longNumber
    /// Words after a label that introduces identity (`DOB`, `MRN`, `ID`, `Name`, `Acc`...).
    case labelled
    /// None of the above: technical text (depth scales, `MI 0.6`, `18Hz`, caliper values), kept.
    case technical

    /// Whether the line is to be blanked under `--text-redaction identifying`.
    public var isIdentifying: Bool { self != .technical }
}
