import CMS
import FileSystem
import DICOMTestSupport
import Foundation
import Testing

/// The errors a user will meet, each a distinct code with a one-line message.
@Suite("User-facing errors")
struct ErrorTests {
    func envelopeForA() throws -> [UInt8] {
        try EnvelopedData.encrypt(TestMaterial.plaintext, to: [TestMaterial.certificate("test-recipient-a")])
    }

    @Test func wrongKeyIsNotARecipientAndNamesTheRecipients() throws {
        let envelope = try envelopeForA()
        let error = try #require(throws: CMSError.self) {
            try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-recipient-b"), certificate: nil)
        }
        #expect(error.code == .notARecipient)
        #expect(error.description.contains(TestMaterial.issuerA))
        #expect(error.description.contains("serial \(TestMaterial.serialA)"))
        #expect(!error.description.contains("\n"))
        #expect(error.description.hasPrefix("cannot decrypt: this key is not a recipient (encrypted for CN=dicom-deid"))
    }

    @Test func wrongKeyWithItsCertificateIsNotARecipient() throws {
        let envelope = try envelopeForA()
        let error = try #require(throws: CMSError.self) {
            try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-recipient-b"),
                                      certificate: TestMaterial.certificate("test-recipient-b"))
        }
        #expect(error.code == .notARecipient)
        #expect(error.description.contains("serial 0A01"))
        #expect(error.description.contains("the key's certificate is CN=dicom-deid TEST-ONLY recipient B,O=NOT FOR REAL DATA, serial 0B02"))
    }

    @Test func keyNotMatchingItsCertificateIsSaid() throws {
        let envelope = try envelopeForA()
        let error = try #require(throws: CMSError.self) {
            try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-recipient-a"),
                                      certificate: TestMaterial.certificate("test-recipient-b"))
        }
        #expect(error.code == .keyDoesNotMatchCertificate)
        #expect(error.description.contains("recipient B"))
    }

    @Test("wrong passphrase", arguments: ["test-recipient-a-encrypted.key", "test-recipient-a-pkcs1-encrypted.key",
                                          "test-recipient-a.p12"])
    func wrongPassphraseIsSaid(file: String) throws {
        let path = TestMaterial.keyPath(file)
        let error = try #require(throws: CMSError.self) {
            try RecipientPrivateKey(contentsOf: path, passphrase: Passphrase(bytes: Array("not the passphrase".utf8)))
        }
        #expect(error.code == .wrongPassphrase)
        #expect(error.path == path)
        #expect(error.description == "\(path): \(error.reason)")
        #expect(!error.description.contains("not the passphrase"))
    }

    @Test("encrypted key without a passphrase", arguments: ["test-recipient-a-encrypted.key",
                                                           "test-recipient-a-pkcs1-encrypted.key", "test-recipient-a.p12"])
    func missingPassphraseIsSaid(file: String) throws {
        #expect(throws: CMSError(.passphraseUnavailable)) {
            try RecipientPrivateKey(contentsOf: TestMaterial.keyPath(file), passphrase: nil)
        }
    }

    @Test("certificate where a key is expected", arguments: ["test-recipient-a.crt", "test-recipient-a.der"])
    func certificateGivenAsKey(file: String) throws {
        let error = try #require(throws: CMSError.self) {
            try RecipientPrivateKey(contentsOf: TestMaterial.keyPath(file), passphrase: nil)
        }
        #expect(error.code == .expectedKeyGotCertificate)
        #expect(error.description.contains(file))
    }

    @Test("key where a certificate is expected",
          arguments: ["test-recipient-a.key", "test-recipient-a-pkcs1.key", "test-recipient-a-key.der",
                      "test-recipient-a-encrypted.key", "test-recipient-a.p12"])
    func keyGivenAsCertificate(file: String) throws {
        let error = try #require(throws: CMSError.self) {
            try RecipientCertificate(contentsOf: TestMaterial.keyPath(file))
        }
        #expect(error.code == .expectedCertificateGotKey)
        #expect(error.description.contains(file))
    }

    @Test func unreadablePathsNameThePath() throws {
        let missing = TestMaterial.keyPath("no-such-file.crt")
        let error = try #require(throws: CMSError.self) { try RecipientCertificate(contentsOf: missing) }
        #expect(error.code == .unreadableFile)
        #expect(error.description == "\(missing): cannot read certificate: cannot open for reading: No such file or directory")
        #expect((error.cause as? SystemCallError)?.errno == ENOENT)
        #expect(throws: CMSError(.unreadableFile)) {
            try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.path, passphrase: nil)   // a directory
        }
        #expect(throws: CMSError(.unreadableFile)) { try Passphrase.fromFile(missing) }
    }

    @Test func nonKeyBytesAreUnrecognized() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = try TestMaterial.write(Array("hello, not a key\n".utf8), to: directory, "hello.txt")
        #expect(throws: CMSError(.unrecognizedFormat)) { try RecipientPrivateKey(contentsOf: text, passphrase: nil) }
        #expect(throws: CMSError(.unrecognizedFormat)) { try RecipientCertificate(contentsOf: text) }
        #expect(throws: CMSError(.unrecognizedFormat)) { try RecipientCertificate(der: []) }
        #expect(throws: CMSError(.unrecognizedFormat)) {
            try RecipientCertificate(pem: Array("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".utf8))
        }
    }

    @Test func ecKeyIsNotRSA() throws {
        #expect(throws: CMSError(.notRSA)) { try TestMaterial.key("test-ec") }
    }

    @Test func unsupportedContentCipherIsSaid() throws {
        // Replace id-aes256-CBC (…04 01 2A) with id-aes256-ECB (…04 01 29): valid DER, a cipher we do not take.
        var envelope = try envelopeForA()
        let oid: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]
        let offset = try #require(envelope.indices.first { envelope[$0...].starts(with: oid) })
        envelope[offset + oid.count - 1] = 0x29
        let info = try EnvelopedData.inspect(envelope)
        #expect(info.cipher == nil)
        #expect(info.cipherOID == "2.16.840.1.101.3.4.1.41")
        #expect(throws: CMSError(.unsupportedAlgorithm)) {
            try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-recipient-a"), certificate: nil)
        }
    }

    @Test(.enabled(if: OpenSSLCLI.isAvailable, OpenSSLCLI.missingReason))
    func authEnvelopedDataIsUnsupported() throws {
        let tool = try #require(OpenSSLCLI.tool)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try TestMaterial.write(TestMaterial.plaintext, to: directory, "plain.bin")
        let output = directory.url.appendingPathComponent("gcm.der").path
        let outcome = try tool.run(["cms", "-encrypt", "-binary", "-outform", "DER", "-aes-256-gcm", "-in", input,
                                    "-out", output, TestMaterial.keyPath("test-recipient-a.crt")])
        try #require(outcome.status == 0, "openssl: \(outcome.stderrText)")
        #expect(throws: CMSError(.unsupportedAlgorithm)) {
            try EnvelopedData.decrypt(TestMaterial.bytes(output), key: TestMaterial.key("test-recipient-a"), certificate: nil)
        }
    }

    @Test func errorsCompareByCodeOnly() {
        #expect(CMSError(.weakKey, reason: "a") == CMSError(.weakKey, reason: "b", path: "x"))
        #expect(CMSError(.weakKey) != CMSError(.notRSA))
        #expect(Set([CMSError(.weakKey, reason: "a"), CMSError(.weakKey, reason: "b")]).count == 1)
        #expect(CMSError(.notRSA).description == "not an RSA key")
        #expect(CMSError(.notRSA).code.name == "notRSA")
    }

    @Test func errorsRecordWhereTheyWereThrownAndTheirCause() throws {
        let error = try #require(throws: CMSError.self) {
            try RecipientCertificate(contentsOf: "/nonexistent/recipient.crt")
        }
        #expect(error.thrownAt.fileID.hasPrefix("CMS/"))
        #expect(error.thrownAt.line > 0)
        let wrapped = CMSError(.decryptionFailed, reason: "outer", cause: error)
        #expect(wrapped.causeChain.count == 3, "outer, the certificate error, the system call error")
        #expect(wrapped.description == "outer: \(error)")
    }
}
