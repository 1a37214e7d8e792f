import DICOMCodec
import DICOMCore
import DICOMDictionary
@testable import Deidentification
import Testing

/// The content digest is checked over the plaintext bytes the de-identifier hashed, without encoding the
/// Modified Attributes Sequence again; other layouts fall back to encoding it.
@Suite struct ContentDigestTests {
    @Test(arguments: ["ct-explicit-le.dcm", "ct-implicit-le.dcm", "sr-basic-text-explicit-le.dcm"])
    func digestCoversThePlaintextPrefixTheDeidentifierHashed(_ name: String) throws {
        let (_, output) = try TestEnvironment.deidentified(name)
        let plaintext = try #require(try TestEnvironment.decryptedContents(of: output).last)
        let content = try Part10Reader.readDataSet(bytes: plaintext, transferSyntax: .explicitVRLittleEndian)
        let sequence = try #require(content[.modifiedAttributesSequence])
        let fast = try #require(Reidentifier.encodedSequence(sequence, in: content, plaintext: plaintext,
                                                              syntax: .explicitVRLittleEndian))
        let encoded = try DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(DataSet([sequence]))
        #expect(Array(fast) == encoded)
        #expect(fast.count < plaintext.count, "the fast path took the prefix, not the whole plaintext")
        // Content with a binding: the digest (v2) covers everything but itself, the binding included.
        let digest = try #require(content[Tag(0x0401, 0x1002)]?.bytes)
        let covered = try #require(EncryptedAttributes.coveredByWholeContentDigest(digest, plaintext: plaintext,
                                                                                   syntax: .explicitVRLittleEndian))
        #expect(covered.count == plaintext.count - 12 - 32)
        #expect(Array(digest) == EncryptedAttributes.contentDigest(covered))
        #expect(Array(digest) != EncryptedAttributes.contentDigest(Array(fast), whole: false))
    }

    /// A damaged byte in the binding, after the digest, is refused like one in the sequence.
    @Test func theBindingIsCoveredByTheDigest() throws {
        let (_, output) = try TestEnvironment.deidentified("ct-explicit-le.dcm")
        let plaintext = try #require(try TestEnvironment.decryptedContents(of: output).last)
        let content = try Part10Reader.readDataSet(bytes: plaintext, transferSyntax: .explicitVRLittleEndian)
        let index = try #require(content[Tag(0x0401, 0x1005)]?.bytes)
        var damaged = plaintext
        damaged[index.startIndex + 5] ^= 0x01
        let digest = try #require(content[Tag(0x0401, 0x1002)]?.bytes)
        let covered = try #require(EncryptedAttributes.coveredByWholeContentDigest(digest, plaintext: damaged,
                                                                                   syntax: .explicitVRLittleEndian))
        #expect(Array(digest) != EncryptedAttributes.contentDigest(covered))
    }

    @Test func otherLayoutsAreEncodedAgain() throws {
        let (_, output) = try TestEnvironment.deidentified("ct-explicit-le.dcm")
        let plaintext = try #require(try TestEnvironment.decryptedContents(of: output).last)
        let content = try Part10Reader.readDataSet(bytes: plaintext, transferSyntax: .explicitVRLittleEndian)
        let sequence = try #require(content[.modifiedAttributesSequence])
        // Without the creator right after the sequence, the prefix is not trusted: encode again.
        let onlySequence = DataSet([sequence])
        let again = try #require(Reidentifier.encodedSequence(sequence, in: onlySequence, plaintext: plaintext,
                                                               syntax: .explicitVRLittleEndian))
        let encoded = try DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(onlySequence)
        #expect(Array(again) == encoded)
    }
}
