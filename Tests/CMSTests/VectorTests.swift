import CMS
import Testing

/// The committed vectors in Fixtures/cms/, made by Scripts/make-cms-vectors.sh with `openssl cms -encrypt`;
/// these run without the openssl tool.
@Suite("Committed openssl vectors")
struct VectorTests {
    static let vectors: [(file: String, cipher: ContentCipher, transport: KeyTransport, bySubjectKeyIdentifier: Bool)] = [
        ("aes128-cbc.der", .aes128CBC, .rsaPKCS1v15, false),
        ("aes192-cbc.der", .aes192CBC, .rsaPKCS1v15, false),
        ("aes256-cbc.der", .aes256CBC, .rsaPKCS1v15, false),
        ("des-ede3-cbc.der", .tripleDESCBC, .rsaPKCS1v15, false),
        ("aes256-cbc-oaep-sha256.der", .aes256CBC, .rsaOAEPSHA256, false),
        ("aes256-cbc-keyid.der", .aes256CBC, .rsaPKCS1v15, true),
    ]

    @Test func plaintextFixtureIsTheKnownPlaintext() throws {
        #expect(try TestMaterial.bytes(TestMaterial.vectorPath("plaintext.bin")) == TestMaterial.plaintext)
    }

    @Test("decrypts to the known plaintext", arguments: vectors)
    func decryptsVector(vector: (file: String, cipher: ContentCipher, transport: KeyTransport, bySubjectKeyIdentifier: Bool)) throws {
        let envelope = try TestMaterial.bytes(TestMaterial.vectorPath(vector.file))
        let key = try TestMaterial.key("test-recipient-a")
        let certificate = try TestMaterial.certificate("test-recipient-a")
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: certificate) == TestMaterial.plaintext)
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: nil) == TestMaterial.plaintext)
    }

    @Test("inspects recipient and cipher", arguments: vectors)
    func inspectsVector(vector: (file: String, cipher: ContentCipher, transport: KeyTransport, bySubjectKeyIdentifier: Bool)) throws {
        let info = try EnvelopedData.inspect(TestMaterial.bytes(TestMaterial.vectorPath(vector.file)))
        #expect(info.cipher == vector.cipher)
        #expect(info.cipherOID == vector.cipher.oid)
        let recipient = try #require(info.recipients.first)
        #expect(info.recipients.count == 1)
        #expect(recipient.keyTransport == vector.transport)
        #expect(recipient.keyTransportOID == vector.transport.oid)
        if vector.bySubjectKeyIdentifier {
            #expect(recipient.subjectKeyIdentifierHex == (try TestMaterial.certificate("test-recipient-a").subjectKeyIdentifierHex))
            #expect(recipient.issuer == nil)
        } else {
            #expect(recipient.issuer == TestMaterial.issuerA)
            #expect(recipient.serialNumberHex == TestMaterial.serialA)
            #expect(recipient.subjectKeyIdentifierHex == nil)
        }
    }
}
