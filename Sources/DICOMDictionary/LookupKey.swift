import DICOMCore

/// Normalisation of text keys before they are looked up in the generated tables.
enum LookupKey {
    /// A private creator or UID as the tables store it: trailing spaces and NULs removed (PS3.5 6.2 pads
    /// LO with spaces and UI with NUL; some writers pad either with the other).
    static func trimmed(_ text: String) -> Substring {
        // Spaces and NULs are single UTF-8 bytes, so the end is a character boundary.
        text[..<ValuePadding.trimmingTrailing(text.utf8).endIndex]
    }
}
