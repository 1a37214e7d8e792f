import CMS
import Testing

@Suite("Round trips")
struct RoundTripTests {
    static let combinations: [(ContentCipher, KeyTransport)] =
        ContentCipher.allCases.flatMap { cipher in KeyTransport.allCases.map { (cipher, $0) } }

    @Test("one recipient, every cipher and key transport", arguments: combinations)
    func roundTripsForOneRecipient(cipher: ContentCipher, transport: KeyTransport) throws {
        let certificate = try TestMaterial.certificate("test-recipient-a")
        let key = try TestMaterial.key("test-recipient-a")
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate], cipher: cipher,
                                                 keyTransport: transport)
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: certificate) == TestMaterial.plaintext)
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: nil) == TestMaterial.plaintext)
        let info = try EnvelopedData.inspect(envelope)
        #expect(info.cipher == cipher)
        #expect(info.cipherOID == cipher.oid)
        #expect(info.recipients.map(\.keyTransport) == [transport])
    }

    @Test("three recipients, each can decrypt", arguments: combinations)
    func roundTripsForThreeRecipients(cipher: ContentCipher, transport: KeyTransport) throws {
        let names = ["test-recipient-a", "test-recipient-b", "test-recipient-c"]
        let certificates = try names.map(TestMaterial.certificate)
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: certificates, cipher: cipher,
                                                 keyTransport: transport)
        for (name, certificate) in zip(names, certificates) {
            let key = try TestMaterial.key(name)
            #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: certificate) == TestMaterial.plaintext,
                    "\(name) with its certificate")
            #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: nil) == TestMaterial.plaintext,
                    "\(name) trying every recipient")
        }
        #expect(try EnvelopedData.inspect(envelope).recipients.map(\.serialNumberHex) == ["0A01", "0B02", "0C03"])
    }

    @Test("recipients identified by subject key identifier", arguments: KeyTransport.allCases)
    func roundTripsWithSubjectKeyIdentifier(transport: KeyTransport) throws {
        let certificate = try TestMaterial.certificate("test-recipient-a")
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate], keyTransport: transport,
                                                 identifier: .subjectKeyIdentifier)
        let recipient = try #require(try EnvelopedData.inspect(envelope).recipients.first)
        #expect(recipient.subjectKeyIdentifierHex == certificate.subjectKeyIdentifierHex)
        #expect(recipient.issuer == nil && recipient.serialNumberHex == nil)
        let key = try TestMaterial.key("test-recipient-a")
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: certificate) == TestMaterial.plaintext)
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: nil) == TestMaterial.plaintext)
    }

    @Test func refusesSubjectKeyIdentifierWhenCertificateHasNone() throws {
        let certificate = try TestMaterial.certificate("test-recipient-b")   // made without the extension
        #expect(certificate.subjectKeyIdentifierHex == nil)
        #expect(throws: CMSError(.missingSubjectKeyIdentifier)) {
            try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate], identifier: .subjectKeyIdentifier)
        }
    }

    @Test("empty, single-block and large contents", arguments: [0, 1, 15, 16, 17, 1 << 20])
    func roundTripsContentsOfAnySize(count: Int) throws {
        let content = TestMaterial.pseudoRandomBytes(count: count, seed: UInt64(count))
        let certificate = try TestMaterial.certificate("test-recipient-a")
        let envelope = try EnvelopedData.encrypt(content, to: [certificate])
        #expect(try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-recipient-a"),
                                          certificate: certificate) == content)
    }

    @Test func encryptsWithFreshKeyAndIVEachTime() throws {
        let certificate = try TestMaterial.certificate("test-recipient-a")
        let first = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate])
        let second = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate])
        #expect(first != second)
    }

    @Test func decryptsWithCertificateFromPKCS12() throws {
        let key = try RecipientPrivateKey(contentsOf: TestMaterial.keyPath("test-recipient-a.p12"),
                                          passphrase: TestMaterial.passphrase)
        let certificate = try #require(key.certificate)
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate])
        #expect(try EnvelopedData.decrypt(envelope, key: key) == TestMaterial.plaintext)
    }

    @Test func refusesEmptyRecipientList() {
        #expect(throws: CMSError(.encryptionFailed)) {
            try EnvelopedData.encrypt(TestMaterial.plaintext, to: [])
        }
    }
}
