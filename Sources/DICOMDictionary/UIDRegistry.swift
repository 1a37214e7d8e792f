/// Names of registered UIDs: the SOP Classes of PS3.4 and every UID of PS3.6 Table A-1 (transfer syntaxes,
/// well-known instances such as palettes and frames of reference, coding schemes, ...).
///
/// The engine keeps registered UIDs as they are (they identify nobody); it never decides anything by a name.
public enum UIDRegistry {
    /// The name of a registered UID, e.g. `1.2.840.10008.5.1.4.1.1.2` -> `CT Image Storage`; `nil` for
    /// other UIDs.
    /// - Parameter uid: the UID without padding (a trailing NUL or space is ignored).
    public static func name(for uid: String) -> String? {
        guard let index = UIDTables.uids.index(of: LookupKey.trimmed(uid)) else { return nil }
        return UIDTables.names[index]
    }
}
