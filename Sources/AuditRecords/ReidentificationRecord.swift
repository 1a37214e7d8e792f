/// A record of the re-identification audit trail (`dicom-reidentify`, and `dicom-review check --key`, which
/// decrypts too): who, where, with which key and why, and which attributes of which file came back (tags,
/// never values).
public struct ReidentificationRecord: AuditRecord, Equatable {
    public var input = ""
    public var output: String?
    public var status: RecordStatus?
    /// Why the run re-identified (`--reason`); for a skipped input, why it was skipped.
    public var reason: String?
    public var error: String?
    public var time: String?
    /// The user and host that ran it.
    public var user: String?
    public var host: String?
    /// `restore`, `verify` or `check`.
    public var mode: String?
    /// The key: the SHA-256 of its public key, and its certificate's subject and serial when known.
    public var keySHA256: String?
    public var keyCertificateSubject: String?
    public var keyCertificateSerial: String?
    /// `--only`: the attributes asked for.
    public var only: [String]?
    /// The attributes restored, and the Encrypted Attributes item (from 1) they came from.
    public var restoredTags: [String]?
    public var item: Int?
    /// Whether the encrypted attributes were bound to this file: `verified`, `absent`, `modified-accepted`.
    public var binding: String?
    /// Under `modified-accepted`: the attributes changed since de-identification.
    public var changedTags: [String]?

    public init() {}

    public func jsonLine() -> String {
        // Fields in the order of their names, as every version of the trail wrote them.
        var line = JSONLine()
        line.add("binding", binding)
        line.add("changedTags", changedTags)
        line.add("error", error)
        line.add("host", host)
        line.add("input", input)
        line.add("item", item)
        line.add("keyCertificateSerial", keyCertificateSerial)
        line.add("keyCertificateSubject", keyCertificateSubject)
        line.add("keySHA256", keySHA256)
        line.add("mode", mode)
        line.add("only", only)
        line.add("output", output)
        line.add("reason", reason)
        line.add("restoredTags", restoredTags)
        line.add("status", status?.rawValue)
        line.add("time", time)
        line.add("user", user)
        return line.line
    }

    /// The run's fields (who, host, key, reason, mode, `--only`) from the trail's template.
    public mutating func fillEmptyFields(from template: ReidentificationRecord) {
        user = user ?? template.user
        host = host ?? template.host
        mode = mode ?? template.mode
        reason = reason ?? template.reason
        keySHA256 = keySHA256 ?? template.keySHA256
        keyCertificateSubject = keyCertificateSubject ?? template.keyCertificateSubject
        keyCertificateSerial = keyCertificateSerial ?? template.keyCertificateSerial
        only = only ?? template.only
    }
}
