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
        let digest = try #require(content[Tag(0x0401, 0x1002)]?.bytes)
        #expect(Array(digest) == EncryptedAttributes.contentDigest(Array(fast)))
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
