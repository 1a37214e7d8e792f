/// What derives the replacement identities: the secret that keys new UIDs, pseudonyms and date shifts
/// (HMAC-SHA-256), and the table of new patient identities that takes precedence over the pseudonym.
public struct MappingKeys: Sendable {
    /// Key of the HMAC that derives new UIDs, pseudonyms and date shifts.
    public var secret: [UInt8]
    /// `--lookup-table`: new patient identities by original Patient ID.
    public var patientLookup: PatientLookupTable?

    public init(secret: [UInt8], patientLookup: PatientLookupTable? = nil) {
        self.secret = secret
        self.patientLookup = patientLookup
    }
}
