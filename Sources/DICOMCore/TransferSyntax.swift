/// A transfer syntax: its UID and the encoding facts the codec needs (PS3.5 10, Annex A).
public struct TransferSyntax: Hashable, Sendable, CustomStringConvertible {
    public let uid: String
    public let encoding: ElementEncoding
    /// Pixel data is encapsulated in fragments (PS3.5 A.4).
    public let isEncapsulated: Bool
    /// The data set after the file meta is deflated (PS3.5 A.5).
    public let isDeflated: Bool

    public init(uid: String, encoding: ElementEncoding, isEncapsulated: Bool, isDeflated: Bool = false) {
        self.uid = uid
        self.encoding = encoding
        self.isEncapsulated = isEncapsulated
        self.isDeflated = isDeflated
    }

    public var byteOrder: ByteOrder { encoding.byteOrder }
    public var isExplicitVR: Bool { encoding.isExplicitVR }
    public var description: String { uid }

    public static let implicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2", encoding: .implicitLittle, isEncapsulated: false)
    public static let explicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1", encoding: .explicitLittle, isEncapsulated: false)
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1.99", encoding: .explicitLittle, isEncapsulated: false, isDeflated: true)
    public static let explicitVRBigEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.2", encoding: .explicitBig, isEncapsulated: false)

    /// Native (unencapsulated) syntaxes this codec reads and writes.
    public static let native: [TransferSyntax] = [
        .implicitVRLittleEndian, .explicitVRLittleEndian, .deflatedExplicitVRLittleEndian, .explicitVRBigEndian,
    ]

    /// Looks up a transfer syntax by UID. Every UID other than the native ones under `1.2.840.10008.1.2.`
    /// is taken as an encapsulated Explicit VR Little Endian syntax (JPEG family, JPEG-LS, JPEG 2000, HTJ2K,
    /// RLE, MPEG, HEVC, ...), whose pixel data this codec passes through without decoding (PS3.5 A.4).
    /// - Returns: nil for UIDs outside the DICOM transfer syntax root.
    public static func lookup(uid: String) -> TransferSyntax? {
        if let known = native.first(where: { $0.uid == uid }) { return known }
        // Deflated image frame compression (1.2.840.10008.1.2.8.1) and the deflated JPIP variant are
        // encapsulated, not deflated data sets: only 1.2.840.10008.1.2.1.99 deflates the data set.
        guard uid.hasPrefix("1.2.840.10008.1.2.") else { return nil }
        return TransferSyntax(uid: uid, encoding: .explicitLittle, isEncapsulated: true)
    }
}
