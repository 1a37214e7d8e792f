import CMS
import DICOMCodec
import DICOMCore
import Deidentification
import Testing

/// Swift Testing also has a `Tag`: in this module, `Tag` is the DICOM one.
typealias Tag = DICOMCore.Tag

/// Looking inside de-identified output: the bytes a receiver can read, and the encrypted originals.
extension TestEnvironment {
    static let encryptedAttributesSequence = Tag(0x0400, 0x0500)
    static let encryptedContent = Tag(0x0400, 0x0520)
    static let modifiedAttributesSequence = Tag(0x0400, 0x0550)

    /// Every byte of the written file (preamble, file meta, data set) with the Encrypted Content (0400,0520)
    /// values blanked. A deflated data set is inflated first: the re-read data set is re-encoded as Explicit VR
    /// Little Endian with each Encrypted Content value emptied (an untouched element re-encodes to its bytes).
    static func searchableBytes(of file: Part10File) throws -> [UInt8] {
        let bytes = try Part10Writer.encode(file)
        var read = try Part10Reader.read(bytes: bytes)
        if read.transferSyntax.isDeflated {
            blankEncryptedContent(&read.dataSet)
            read.transferSyntax = .explicitVRLittleEndian
            read.dataSetEncoding = .explicitLittle
            return try Part10Writer.encode(read)
        }
        // Value slices of a file read from `bytes` are indexed by offsets in `bytes`.
        var masked = bytes
        for item in read.dataSet[encryptedAttributesSequence]?.sequence?.items ?? [] {
            guard let value = item.dataSet[encryptedContent]?.bytes else { continue }
            for i in value.indices { masked[i] = 0 }
        }
        return masked
    }

    private static func blankEncryptedContent(_ dataSet: inout DataSet) {
        guard var sequence = dataSet[encryptedAttributesSequence]?.sequence else { return }
        for i in sequence.items.indices {
            guard var content = sequence.items[i].dataSet[encryptedContent] else { continue }
            content.value = .bytes([])
            sequence.items[i].dataSet.set(content)
        }
        dataSet.set(DataElement(tag: encryptedAttributesSequence, vr: .SQ, value: .sequence(sequence)))
    }

    /// The DER inside an Encrypted Content value: without the padding byte an odd-length DER gets.
    static func der(_ value: ArraySlice<UInt8>) -> [UInt8] {
        let bytes = Array(value)
        guard bytes.count >= 2, bytes[0] == 0x30 else { return bytes }
        var total = 2 + Int(bytes[1])
        if bytes[1] >= 0x80 {
            let count = Int(bytes[1] & 0x7F)
            guard count >= 1, count <= 4, bytes.count >= 2 + count else { return bytes }
            total = 2 + count + bytes[2..<2 + count].reduce(0) { $0 << 8 | Int($1) }
        }
        return total < bytes.count ? Array(bytes[..<total]) : bytes
    }

    /// The decrypted content of each Encrypted Attributes item, opened with recipient A's key.
    static func decryptedContents(of file: Part10File) throws -> [[UInt8]] {
        let key = try key(), certificate = try certificate()
        return try (file.dataSet[encryptedAttributesSequence]?.sequence?.items ?? []).map { item in
            let value = try #require(item.dataSet[encryptedContent]?.bytes, "item without Encrypted Content")
            return try EnvelopedData.decrypt(der(value), key: key, certificate: certificate)
        }
    }

    /// The single item of the Modified Attributes Sequence in the newest Encrypted Attributes item.
    static func modifiedAttributes(of file: Part10File) throws -> DataSet {
        let plaintext = try #require(try decryptedContents(of: file).last, "no Encrypted Attributes item")
        let content = try Part10Reader.readDataSet(bytes: plaintext, transferSyntax: .explicitVRLittleEndian)
        let items = try #require(content[modifiedAttributesSequence]?.sequence?.items)
        try #require(items.count == 1)
        return items[0].dataSet
    }

    /// `element` encoded alone as Explicit VR Little Endian: how the Modified Attributes item stores it.
    static func explicitLittleBytes(_ element: DataElement, from order: ByteOrder) throws -> [UInt8] {
        try DataSetWriter(target: .explicitLittle, sourceOrder: order).encode(DataSet([element]))
    }

    /// De-identifies `name` with `options` and reads the written result back.
    static func deidentified(_ name: String, options: Set<ProfileOption> = [],
                             lookup: PatientLookupTable? = nil) throws -> (original: Part10File, output: Part10File) {
        let original = try fixture(name)
        let (output, _) = try deidentifyThroughBytes(original, with: try deidentifier(options: options, lookup: lookup))
        return (original, output)
    }
}
