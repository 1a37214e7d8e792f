/// A record of `dicom-deidentify`'s audit log: which input became which output, and what was done to it
/// (counts and names, never values). It names input paths, which may carry identity: the log stays on the
/// de-identifying side.
public struct DeidentificationRecord: AuditRecord, Equatable {
    public var input = ""
    public var output: String?
    public var status: RecordStatus?
    public var reason: String?
    public var error: String?
    public var time: String?
    /// For an identical copy that was not written again: the input whose output it is.
    public var copyOf: String?
    /// The output's new UIDs.
    public var studyInstanceUID: String?
    public var seriesInstanceUID: String?
    public var sopInstanceUID: String?
    /// How many attributes each action touched (`remove`, `dummy`, `uid`...).
    public var actions: [String: Int]?
    /// Private attributes removed, counted by creator (creators name vendors' blocks, not patients).
    public var privateRemovedByCreator: [String: Int]?
    /// What became of the pixels under `--clean-pixel-data`, in words.
    public var pixels: String?
    /// `dicom-gateway`: the calling AE title of the association that sent the input (nil for a file input).
    public var caller: String?
    /// `dicom-gateway`: the caller's network address (IP and port).
    public var callerAddress: String?

    public init() {}

    public func jsonLine() -> String {
        // Fields in the order of their names, as every version of the log wrote them.
        var line = JSONLine()
        line.add("actions", actions)
        line.add("caller", caller)
        line.add("callerAddress", callerAddress)
        line.add("copyOf", copyOf)
        line.add("error", error)
        line.add("input", input)
        line.add("output", output)
        line.add("pixels", pixels)
        line.add("privateRemovedByCreator", privateRemovedByCreator)
        line.add("reason", reason)
        line.add("seriesInstanceUID", seriesInstanceUID)
        line.add("sopInstanceUID", sopInstanceUID)
        line.add("status", status?.rawValue)
        line.add("studyInstanceUID", studyInstanceUID)
        line.add("time", time)
        return line.line
    }

    /// The de-identification log adds no fields to its records.
    public mutating func fillEmptyFields(from template: DeidentificationRecord) {}
}
