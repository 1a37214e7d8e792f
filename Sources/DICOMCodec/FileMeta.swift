import DICOMCore

/// Who writes a file: Implementation Class UID (0002,0012) and Implementation Version Name (0002,0013) of the
/// application (PS3.7 D.3.3.2). The application chooses them; the codec only writes them.
public struct ImplementationIdentity: Sendable, Hashable {
    /// A UID the application owns, e.g. a UUID-derived `2.25.…` (PS3.5 B.2).
    public let classUID: String
    /// At most 16 characters of SH.
    public let versionName: String

    public init(classUID: String, versionName: String) {
        self.classUID = classUID
        self.versionName = versionName
    }
}

/// Builds File Meta Information (PS3.10 7.1).
public enum FileMeta {
    /// A complete meta group with a correct (0002,0000) group length.
    /// - Parameters:
    ///   - sopClassUID: Media Storage SOP Class UID (0002,0002).
    ///   - sopInstanceUID: Media Storage SOP Instance UID (0002,0003).
    ///   - transferSyntax: Transfer Syntax UID (0002,0010).
    ///   - implementation: the writing application's (0002,0012) and (0002,0013).
    ///   - sourceAETitle: Source Application Entity Title (0002,0016), when known.
    ///   - sourcePresentationAddress: Source Presentation Address (0002,0026), when known.
    public static func make(sopClassUID: String, sopInstanceUID: String, transferSyntax: TransferSyntax,
                            implementation: ImplementationIdentity, sourceAETitle: String? = nil,
                            sourcePresentationAddress: String? = nil) -> DataSet {
        var elements: [DataElement] = [
            DataElement(tag: Tag(0x0002, 0x0001), vr: .OB, bytes: [0x00, 0x01]),
            DataElement(tag: Tag(0x0002, 0x0002), vr: .UI, string: sopClassUID),
            DataElement(tag: Tag(0x0002, 0x0003), vr: .UI, string: sopInstanceUID),
            DataElement(tag: Tag(0x0002, 0x0010), vr: .UI, string: transferSyntax.uid),
            DataElement(tag: Tag(0x0002, 0x0012), vr: .UI, string: implementation.classUID),
            DataElement(tag: Tag(0x0002, 0x0013), vr: .SH, string: implementation.versionName),
        ]
        if let sourceAETitle { elements.append(DataElement(tag: Tag(0x0002, 0x0016), vr: .AE, string: sourceAETitle)) }
        if let sourcePresentationAddress {
            elements.append(DataElement(tag: Tag(0x0002, 0x0026), vr: .UR, string: sourcePresentationAddress))
        }
        let body = (try? DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(DataSet(elements))) ?? []
        let length = DataElement(tag: Tag(0x0002, 0x0000), vr: .UL,
                                 bytes: ValueEncoding.ul(UInt32(body.count), order: .littleEndian))
        return DataSet([length] + elements)
    }
}
