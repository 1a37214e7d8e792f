/// Normalisation of text keys before they are looked up in the generated tables.
enum LookupKey {
    /// A private creator or UID as the tables store it: trailing spaces and NULs removed (PS3.5 6.2 pads
    /// LO with spaces and UI with NUL; some writers pad either with the other).
    static func trimmed(_ text: String) -> Substring {
        let bytes = text.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex {
            let before = bytes.index(before: end)
            let byte = bytes[before]
            guard byte == 0x20 || byte == 0x00 else { break }
            end = before
        }
        return text[..<end]
    }
}
