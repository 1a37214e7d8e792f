/// A code of PS3.16 CID 7050 De-identification Method, as written in De-identification Method Code Sequence
/// (0012,0064). The codes themselves are generated from `Standard/` (`DeidentificationMethodCodes.swift`).
public struct DeidentificationMethodCode: Hashable, Sendable {
    /// Code Value (0008,0100), e.g. `113100`.
    public let value: String
    /// Coding Scheme Designator (0008,0102): `DCM`.
    public let scheme: String
    /// Code Meaning (0008,0104), e.g. `Basic Application Confidentiality Profile`.
    public let meaning: String
}
