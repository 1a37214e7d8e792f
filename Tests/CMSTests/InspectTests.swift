import CMS
import Testing

@Suite("Inspecting envelopes")
struct InspectTests {
    @Test func listsEveryRecipientOfOurEnvelope() throws {
        let certificates = try ["test-recipient-a", "test-recipient-b", "test-recipient-c"].map(TestMaterial.certificate)
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: certificates, cipher: .aes192CBC,
                                                 keyTransport: .rsaOAEPSHA256)
        let info = try EnvelopedData.inspect(envelope)
        #expect(info.cipher == .aes192CBC)
        #expect(info.cipherOID == "2.16.840.1.101.3.4.1.22")
        #expect(info.recipients.map(\.issuer) == certificates.map(\.issuer))
        #expect(info.recipients.map(\.serialNumberHex) == ["0A01", "0B02", "0C03"])
        #expect(info.recipients.allSatisfy { $0.keyTransport == .rsaOAEPSHA256 })
        #expect(info.recipients.allSatisfy { $0.keyTransportOID == "1.2.840.113549.1.1.7" })
        #expect(info.recipients.allSatisfy { $0.subjectKeyIdentifierHex == nil })
        #expect(info.recipients[0].description == "\(TestMaterial.issuerA), serial 0A01")
    }

    @Test func reportsPKCS1AndTripleDES() throws {
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [TestMaterial.certificate("test-recipient-a")],
                                                 cipher: .tripleDESCBC)
        let info = try EnvelopedData.inspect(envelope)
        #expect(info.cipher == .tripleDESCBC)
        #expect(info.cipher?.isLegacy == true)
        #expect(info.recipients.map(\.keyTransport) == [.rsaPKCS1v15])
        #expect(info.recipients.map(\.keyTransportOID) == ["1.2.840.113549.1.1.1"])
    }

    @Test func namesRoundTripThroughRawValues() {
        for cipher in ContentCipher.allCases { #expect(ContentCipher(rawValue: cipher.rawValue) == cipher) }
        for cipher in ContentCipher.allCases { #expect(ContentCipher(oid: cipher.oid) == cipher) }
        #expect(ContentCipher(oid: "1.2.3") == nil)
        #expect(ContentCipher.aes256CBC.rawValue == "aes-256-cbc")
        #expect(KeyTransport.rsaOAEPSHA256.rawValue == "rsa-oaep-sha256")
    }
}
