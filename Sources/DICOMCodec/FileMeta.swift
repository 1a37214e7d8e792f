import DICOMCore

/// Builds File Meta Information (PS3.10 7.1) for files this toolkit writes.
public enum FileMeta {
    /// Implementation Class UID (0002,0012) of dicom-deid: a UUID-derived UID (PS3.5 B.2).
    public static let implementationClassUID = "2.25.161502791853232389011218395394383127405"
    /// Implementation Version Name (0002,0013), at most 16 characters.
    public static let implementationVersionName = "DICOM_DEID_0.1"

    /// A complete meta group with a correct (0002,0000) group length.
    /// - Parameters:
    ///   - sopClassUID: Media Storage SOP Class UID (0002,0002).
    ///   - sopInstanceUID: Media Storage SOP Instance UID (0002,0003).
    ///   - transferSyntax: Transfer Syntax UID (0002,0010).
    ///   - sourceAETitle: Source Application Entity Title (0002,0016), when known.
    public static func make(sopClassUID: String, sopInstanceUID: String, transferSyntax: TransferSyntax,
                            sourceAETitle: String? = nil) -> DataSet {
        var elements: [DataElement] = [
            DataElement(tag: Tag(0x0002, 0x0001), vr: .OB, bytes: [0x00, 0x01]),
            DataElement(tag: Tag(0x0002, 0x0002), vr: .UI, string: sopClassUID),
            DataElement(tag: Tag(0x0002, 0x0003), vr: .UI, string: sopInstanceUID),
            DataElement(tag: Tag(0x0002, 0x0010), vr: .UI, string: transferSyntax.uid),
            DataElement(tag: Tag(0x0002, 0x0012), vr: .UI, string: implementationClassUID),
            DataElement(tag: Tag(0x0002, 0x0013), vr: .SH, string: implementationVersionName),
        ]
        if let sourceAETitle { elements.append(DataElement(tag: Tag(0x0002, 0x0016), vr: .AE, string: sourceAETitle)) }
        let body = (try? DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(DataSet(elements))) ?? []
        let length = DataElement(tag: Tag(0x0002, 0x0000), vr: .UL,
                                 bytes: ValueEncoding.ul(UInt32(body.count), order: .littleEndian))
        return DataSet([length] + elements)
    }
}
