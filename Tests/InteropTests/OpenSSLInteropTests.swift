import FileSystem
import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import Testing

/// `openssl cms -decrypt` opens the Encrypted Content (0400,0520) of every file we de-identify, with every
/// content cipher and key transport, and finds what PS3.15 E.1.1 says is there: a data set whose only element
/// is the Modified Attributes Sequence (0400,0550) with one item holding the original values.
@Suite(.enabled(if: Peer.runnable(.openssl), Comment(rawValue: Peer.skipReason(.openssl))))
struct OpenSSLInteropTests {
    static let cases: [(String, ContentCipher, KeyTransport)] = Interop.fixtureNames.flatMap { name in
        ContentCipher.allCases.flatMap { cipher in KeyTransport.allCases.map { (name, cipher, $0) } }
    }

    @Test(arguments: cases)
    func opensslDecryptsEncryptedContent(_ name: String, _ cipher: ContentCipher, _ transport: KeyTransport) throws {
        let openssl = try #require(Interop.openssl)
        let directory = try TemporaryDirectory(prefix: "interop-openssl")
        defer { directory.remove() }
        let original = try Interop.fixture(name)
        let output = try Part10Reader.read(bytes: try Interop.deidentifiedBytes(name, cipher: cipher, keyTransport: transport))

        let items = try #require(output.dataSet[Tag(0x0400, 0x0500)]?.sequence?.items)
        try #require(items.count == 1)
        #expect(items[0].dataSet[Tag(0x0400, 0x0510)]?.string() == TransferSyntax.explicitVRLittleEndian.uid)
        let value = try #require(items[0].dataSet[Tag(0x0400, 0x0520)]?.bytes)
        #expect(value.count % 2 == 0)
        let der = try Interop.derContentInfo(value)
        let envelopePath = try Interop.write(der, in: directory, "encrypted-content.der")
        let plaintextPath = directory.url.appendingPathComponent("plaintext.bin").path

        let outcome = try openssl.run(["cms", "-decrypt", "-inform", "DER", "-in", envelopePath,
                                       "-inkey", Interop.keyPath("test-recipient-a.key"),
                                       "-recip", Interop.keyPath("test-recipient-a.crt"),
                                       "-binary", "-out", plaintextPath])
        try #require(outcome.status == 0, "openssl cms -decrypt failed: \(outcome.stderrText)")
        let theirs = try FileIO.readAll(path: plaintextPath)
        let ours = try EnvelopedData.decrypt(der, key: try Interop.key(), certificate: try Interop.certificate())
        #expect(theirs == ours, "openssl's plaintext (\(theirs.count) bytes) differs from ours (\(ours.count) bytes)")

        let content = try Part10Reader.readDataSet(bytes: theirs, transferSyntax: .explicitVRLittleEndian)
        // PS3.3 Table C.12-7: the Modified Attributes Sequence is the content's only standard element. Our
        // engine also writes a private `DICOM-DEID 1.0` block after it (a digest of the sequence, checked by
        // our re-identifier); readers that do not know it ignore it (GDCMInteropTests shows gdcmanon does).
        #expect(content.elements.first?.tag == Tag(0x0400, 0x0550))
        // Beside the sequence: the binding to the output file (its SOP Instance UID, digest and index).
        #expect(content[Tag(0x0401, 0x1003)]?.string() == output.dataSet[Tag(0x0008, 0x0018)]?.string())
        #expect(content[Tag(0x0401, 0x1004)]?.bytes?.count == 32)
        let others = content.elements.dropFirst().map(\.tag)
        #expect(others.allSatisfy { $0.isPrivate },
                "standard elements beside the Modified Attributes Sequence: \(content.elements.map(\.tag))")
        let modified = try #require(content[Tag(0x0400, 0x0550)]?.sequence)
        try #require(modified.items.count == 1)
        let originals = modified.items[0].dataSet
        #expect(originals[Tag(0x0010, 0x0010)] != nil, "Patient's Name is not among the Modified Attributes")
        // The item holds the original top-level elements unchanged (for little-endian sources, whose
        // values need no byte swapping into the Explicit VR Little Endian content).
        if original.dataSetEncoding.byteOrder == .littleEndian {
            let wrong = DataSetComparison.differences(originals, original.dataSet).filter { $0.kind != .extra }
            #expect(wrong.isEmpty, "Modified Attributes item differs from the original: \(wrong.prefix(3))")
        }
    }
}
