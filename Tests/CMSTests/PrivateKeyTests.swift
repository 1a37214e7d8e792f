import CMS
import Testing

@Suite("Private keys and passphrases")
struct PrivateKeyTests {
    static let unencrypted = ["test-recipient-a.key", "test-recipient-a-pkcs1.key", "test-recipient-a-key.der"]
    static let encrypted = ["test-recipient-a-encrypted.key", "test-recipient-a-pkcs1-encrypted.key", "test-recipient-a.p12"]

    @Test("unencrypted PEM PKCS#8, PEM PKCS#1 and DER keys load", arguments: unencrypted)
    func loadsUnencryptedKey(file: String) throws {
        let key = try RecipientPrivateKey(contentsOf: TestMaterial.keyPath(file), passphrase: nil)
        try expectIsRecipientA(key)
        #expect(key.certificate == nil)
    }

    @Test("encrypted PKCS#8, encrypted PKCS#1 and PKCS#12 load with the passphrase", arguments: encrypted)
    func loadsEncryptedKey(file: String) throws {
        let key = try RecipientPrivateKey(contentsOf: TestMaterial.keyPath(file), passphrase: TestMaterial.passphrase)
        try expectIsRecipientA(key)
    }

    @Test func pkcs12CarriesItsCertificate() throws {
        let key = try RecipientPrivateKey(contentsOf: TestMaterial.keyPath("test-recipient-a.p12"),
                                          passphrase: TestMaterial.passphrase)
        let certificate = try #require(key.certificate)
        #expect(certificate.derBytes == (try TestMaterial.certificate("test-recipient-a").derBytes))
        #expect(key.matches(certificate))
    }

    @Test func keysLoadFromBytes() throws {
        let pem = try TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a.key"))
        try expectIsRecipientA(RecipientPrivateKey(pem: pem, passphrase: nil))
        let der = try TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a-key.der"))
        try expectIsRecipientA(RecipientPrivateKey(der: der))
        let encrypted = try TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a-encrypted.key"))
        try expectIsRecipientA(RecipientPrivateKey(pem: encrypted, passphrase: TestMaterial.passphrase))
        let bundle = try TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a.p12"))
        try expectIsRecipientA(RecipientPrivateKey(der: bundle, passphrase: TestMaterial.passphrase))
    }

    @Test func keyAndCertificateInOnePEMFile() throws {
        let bundle = try TestMaterial.bytes(TestMaterial.keyPath("test-recipient-b.crt"))
            + TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a.crt"))
            + TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a.key"))
        let key = try RecipientPrivateKey(pem: bundle, passphrase: nil)
        #expect(key.certificate?.serialNumberHex == "0A01")   // the one that belongs to the key, not B's
    }

    @Test func matchesOnlyItsOwnCertificate() throws {
        let key = try TestMaterial.key("test-recipient-a")
        #expect(key.matches(try TestMaterial.certificate("test-recipient-a")))
        #expect(!key.matches(try TestMaterial.certificate("test-recipient-b")))
        #expect(!key.matches(try TestMaterial.certificate("test-ec")))
    }

    @Test func passphraseFileUsesTheFirstLineOnly() throws {
        // Keys/test-passphrase.txt is "test-only-passphrase\n"; the newline must not count, or nothing would open.
        let key = try RecipientPrivateKey(contentsOf: TestMaterial.keyPath("test-recipient-a-encrypted.key"),
                                          passphrase: Passphrase.fromFile(TestMaterial.keyPath("test-passphrase.txt")))
        try expectIsRecipientA(key)
    }

    @Test func passphraseFromEnvironment() throws {
        #expect(throws: CMSError(.passphraseUnavailable)) {
            try Passphrase.fromEnvironment("DICOM_DEID_TEST_VARIABLE_THAT_IS_NEVER_SET")
        }
        // PATH is set in every test environment; reading it must succeed (its value is no passphrase of ours).
        _ = try Passphrase.fromEnvironment("PATH")
    }

    func expectIsRecipientA(_ key: RecipientPrivateKey) throws {
        #expect(key.keyBits == 2048)
        #expect(key.matches(try TestMaterial.certificate("test-recipient-a")))
        let envelope = try TestMaterial.bytes(TestMaterial.vectorPath("aes256-cbc.der"))
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: nil) == TestMaterial.plaintext)
    }
}
