import DICOMCore

/// PS3.15 Table E.3.10-1 Safe Private Attributes: private elements known to carry no identifying
/// information, which the Retain Safe Private Option keeps (PS3.15 E.3.10).
///
/// Data: `shared/standard/safe_private_attributes.json` (distilled into
/// `Standard/2024e/safe-private-attributes.tsv`), the 2020 edition's 130 rows; later editions list more. An instance can also declare safe blocks and elements itself in the Private Data Element
/// Characteristics Sequence `(0008,0300)`; that is for the de-identification engine to honour.
public enum SafePrivateAttributes {
    /// Whether the table lists the element as safe.
    ///
    /// - Parameters:
    ///   - creator: the value of the private creator element reserving the block; trailing spaces and
    ///     NULs are ignored, case is significant.
    ///   - group: the (odd) group number.
    ///   - elementByte: the low byte of the element number (the table's `xxee` form is block-agnostic).
    public static func isSafe(creator: String, group: UInt16, elementByte: UInt8) -> Bool {
        guard let creatorIndex = SafePrivateTables.creators.index(of: LookupKey.trimmed(creator)) else { return false }
        let starts = SafePrivateTables.starts
        let range = Int(starts[creatorIndex])..<Int(starts[creatorIndex + 1])
        let key = UInt32(group) << 8 | UInt32(elementByte)
        return SortedSearch.index(of: key, in: SafePrivateTables.keys, range: range) != nil
    }
}
