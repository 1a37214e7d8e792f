import DICOMCore

/// One entry of the PS3.6 data dictionary.
public struct AttributeInfo: Hashable, Sendable {
    /// The tag, with the entry's pattern applied: `(6000,3000)` for Overlay Data `(60xx,3000)`,
    /// `(0028,0400)` for `(0028,04x0)`.
    public let tag: Tag
    /// The keyword, e.g. `PatientName`; empty for the few retired entries PS3.6 leaves unnamed.
    public let keyword: String
    /// The name, e.g. `Patient's Name`; empty where PS3.6 gives none.
    public let name: String
    /// The VR or choice of VRs.
    public let vr: DictionaryVR
    /// The Value Multiplicity as PS3.6 writes it: `1`, `1-n`, `2-2n`, ...; empty where PS3.6 gives none.
    public let vm: String
    /// PS3.6 marks the attribute retired.
    public let isRetired: Bool

    /// Creates an entry; the dictionary makes these, tests and callers with their own entries may too.
    public init(tag: Tag, keyword: String, name: String, vr: DictionaryVR, vm: String, isRetired: Bool) {
        self.tag = tag
        self.keyword = keyword
        self.name = name
        self.vr = vr
        self.vm = vm
        self.isRetired = isRetired
    }
}
