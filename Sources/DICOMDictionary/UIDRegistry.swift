/// Names of well-known UIDs: the SOP Classes of PS3.4 and the transfer syntaxes of PS3.6 Table A-1.
///
/// For messages and reports; the engine never decides anything by a UID's name.
public enum UIDRegistry {
    /// The name of a SOP Class or transfer syntax UID, e.g. `1.2.840.10008.5.1.4.1.1.2` ->
    /// `CT Image Storage`; `nil` for other UIDs.
    /// - Parameter uid: the UID without padding (a trailing NUL or space is ignored).
    public static func name(for uid: String) -> String? {
        guard let index = UIDTables.uids.index(of: LookupKey.trimmed(uid)) else { return nil }
        return UIDTables.names[index]
    }
}
