import Hashing
import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary

/// The Encrypted Attributes Sequence (0400,0500) item that carries the originals (PS3.15 E.1.1 steps 4-7,
/// PS3.3 C.12.1.1.4.1), and the way back (E.1.2).
///
/// The item holds Encrypted Content Transfer Syntax UID (0400,0510), Encrypted Content (0400,0520) — an RFC
/// 5652 Enveloped-data ContentInfo whose content is a data set of one element, the Modified Attributes
/// Sequence (0400,0550) with a single item — and, when the de-identifier added attributes the original did
/// not have, a private block `DICOM-DEID 1.0` (0401,0010) with (0401,1001) AT listing them, so the
/// re-identifier can remove them. The private block holds tags only, never values.
///
/// Inside the encryption, after the Modified Attributes Sequence, the same private block carries (0401,1002)
/// OB: a digest of the encoded sequence element. CBC Enveloped-data has no integrity of its own, and a damaged
/// ciphertext block still decrypts to a data set that parses (a garbled text value), so without the digest a
/// damaged file would restore wrong values silently. It also carries the ``FileBinding`` ((0401,1003) UI,
/// (0401,1004) OB, (0401,1005) OB) and, when pixels were cleaned, (0401,1006) AT: the private creator tag of
/// the original pixels' block inside the item. They sit beside the sequence, not in its item, because the item
/// also holds the input's own private elements, which must never be taken for ours. Readers that do not know
/// the block ignore it.
public enum EncryptedAttributes {
    /// The private creator of the added-tags block.
    public static let privateCreator = "DICOM-DEID 1.0"
    static let creatorTag = Tag(0x0401, 0x0010)
    static let addedTagsTag = Tag(0x0401, 0x1001)
    static let contentDigestTag = Tag(0x0401, 0x1002)
    static let originalPixelsCreatorTag = Tag(0x0401, 0x1006)

    /// HMAC-SHA-256 under a fixed, public label: a plain hash of the encoded Modified Attributes Sequence
    /// element (it is inside the encryption, so it needs no secret).
    /// - Parameter whole: the digest of content with a binding: everything but the digest element itself (v2);
    ///   otherwise of the encoded sequence only (v1, content made before bindings).
    static func contentDigest(_ covered: [UInt8], whole: Bool = true) -> [UInt8] {
        (whole ? contentDigestKey : contentDigestKeyV1).authenticationCode(covered)
    }

    /// ``contentDigest(_:whole:)`` of the concatenation of `parts`, without joining them first.
    static func contentDigest(parts: [ArraySlice<UInt8>], whole: Bool = true) -> [UInt8] {
        (whole ? contentDigestKey : contentDigestKeyV1).authenticationCode(parts: parts)
    }

    private static let contentDigestKey = HMACKey(Array("dicom-deid encrypted content digest v2".utf8))
    private static let contentDigestKeyV1 = HMACKey(Array("dicom-deid modified attributes digest v1".utf8))

    /// The plaintext without the digest element (0401,1002) (its 12-byte Explicit VR header and value), which the
    /// v2 digest covers; nil when the content is not laid out as this tool writes it.
    static func coveredByWholeContentDigest(_ digest: ArraySlice<UInt8>, plaintext: [UInt8], syntax: TransferSyntax) -> [UInt8]? {
        partsCoveredByWholeContentDigest(digest, plaintext: plaintext, syntax: syntax).map { Array($0.joined()) }
    }

    /// The same as the two slices of `plaintext` before and after the digest element, not copied.
    static func partsCoveredByWholeContentDigest(_ digest: ArraySlice<UInt8>, plaintext: [UInt8],
                                                 syntax: TransferSyntax) -> [ArraySlice<UInt8>]? {
        guard !syntax.isDeflated, syntax.isExplicitVR, digest.startIndex >= 12, digest.endIndex <= plaintext.count else { return nil }
        return [plaintext[0..<(digest.startIndex - 12)], plaintext[digest.endIndex...]]
    }

    /// `dataSet` as Explicit VR Little Endian.
    /// - Throws: ``DeidentificationError`` `.encodingFailed`, caused by the ``DICOMError``.
    private static func encoded(_ dataSet: DataSet, _ sourceOrder: ByteOrder) throws(DeidentificationError) -> [UInt8] {
        do {
            return try DataSetWriter(target: .explicitLittle, sourceOrder: sourceOrder).encode(dataSet)
        } catch {
            throw DeidentificationError(.encodingFailed, cause: error)
        }
    }

    /// Builds the item: encodes `modified` as Explicit VR Little Endian inside a Modified Attributes
    /// Sequence, encrypts it for the recipients.
    static func makeItem(modified: DataSet, sourceOrder: ByteOrder, addedTags: [Tag], binding: FileBinding,
                         originalPixelsCreator: Tag?, settings: DeidentificationSettings) throws(DeidentificationError) -> Item {
        let sequence = DataSet([DataElement(tag: .modifiedAttributesSequence, vr: .SQ,
                                            value: .sequence(SequenceOfItems(items: [Item(dataSet: modified)])))])
        var plaintext = try encoded(sequence, sourceOrder)
        defer { for i in plaintext.indices { plaintext[i] = 0 } }
        // What is encrypted must decode again, or the originals could never be restored: fail the file instead.
        do {
            _ = try Part10Reader.readDataSet(bytes: plaintext, transferSyntax: .explicitVRLittleEndian)
        } catch {
            throw DeidentificationError(.encodingFailed,
                                        "the original attributes would not decode again (\(error.code)); file not de-identified")
        }
        // Beside the sequence: the creator, the digest, the binding and the pixel block's place. The digest covers
        // all of the plaintext but itself (v2).
        var after = binding.elements()
        if let originalPixelsCreator {
            after.append(DataElement(tag: originalPixelsCreatorTag, vr: .AT,
                                     bytes: ValueEncoding.at([originalPixelsCreator], order: .littleEndian)))
        }
        var creator = try encoded(DataSet([DataElement(tag: creatorTag, vr: .LO, string: privateCreator)]), .littleEndian)
        var rest = try encoded(DataSet(after), .littleEndian)
        let digest = contentDigest(parts: [plaintext[...], creator[...], rest[...]])
        plaintext += creator
        plaintext += try encoded(DataSet([DataElement(tag: contentDigestTag, vr: .OB, bytes: digest)]), .littleEndian)
        plaintext += rest
        for i in creator.indices { creator[i] = 0 }
        for i in rest.indices { rest[i] = 0 }
        let envelope: [UInt8]
        do {
            envelope = try EnvelopedData.encrypt(plaintext, to: settings.recipients.certificates,
                                                 cipher: settings.recipients.cipher, keyTransport: settings.recipients.keyTransport,
                                                 allowWeakKeys: settings.recipients.allowWeakKeys)
        } catch {
            throw DeidentificationError(.cryptoFailed, "encryption failed", cause: error)
        }
        let content = ValuePadding.padded(envelope, for: .OB)
        var elements = [
            DataElement(tag: .encryptedContentTransferSyntaxUID, vr: .UI, string: TransferSyntax.explicitVRLittleEndian.uid),
            DataElement(tag: .encryptedContent, vr: .OB, bytes: content),
        ]
        if !addedTags.isEmpty {
            elements.append(DataElement(tag: creatorTag, vr: .LO, string: privateCreator))
            elements.append(DataElement(tag: addedTagsTag, vr: .AT, bytes: ValueEncoding.at(addedTags, order: sourceOrder)))
        }
        return Item(dataSet: DataSet(elements))
    }

    /// The tags an item lists as added by the de-identifier.
    static func addedTags(in item: DataSet, order: ByteOrder) -> [Tag] {
        guard item.privateCreator(of: addedTagsTag) == privateCreator,
              let tags = item[addedTagsTag]?.tags(order) else { return [] }
        return tags
    }

    /// The DER ContentInfo inside an Encrypted Content value, without the padding byte OB values get when
    /// the DER is of odd length (PS3.5 7.1.1): the outer SEQUENCE header says how long the DER is.
    static func derBytes(_ value: ArraySlice<UInt8>) -> [UInt8] {
        guard value.first == 0x30, let total = EnvelopedData.derElementLength(value), total < value.count else {
            return Array(value)
        }
        return Array(value.prefix(total))
    }
}
