import CMS
import Testing

/// ``ParsedEnvelope`` gives what ``EnvelopedData/inspect(_:)`` and ``EnvelopedData/decrypt(_:key:certificate:)``
/// give, errors included; BER input takes the re-encoding path for the content cipher.
@Suite("Parsed envelopes")
struct ParsedEnvelopeTests {
    static let recipients = ["test-recipient-a", "test-recipient-b"]

    /// The outer ContentInfo SEQUENCE rewritten with an indefinite length (BER, as `openssl cms -stream` writes).
    static func indefiniteLength(_ der: [UInt8]) -> [UInt8] {
        let header = der[1] < 0x80 ? 2 : 2 + Int(der[1] & 0x7F)
        return [0x30, 0x80] + der[header...] + [0x00, 0x00]
    }

    static func failure(_ body: () throws -> [UInt8]) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("same info and content as inspect and decrypt", arguments: ContentCipher.allCases)
    func matchesInspectAndDecrypt(cipher: ContentCipher) throws {
        let certificates = try Self.recipients.map(TestMaterial.certificate)
        let der = try EnvelopedData.encrypt(TestMaterial.plaintext, to: certificates, cipher: cipher,
                                            keyTransport: .rsaOAEPSHA256)
        for envelope in [der, Self.indefiniteLength(der)] {
            let inspected = try EnvelopedData.inspect(envelope)
            let parsed = try ParsedEnvelope(envelope)
            #expect(parsed.info.cipher == cipher)
            #expect(parsed.info.cipherOID == inspected.cipherOID)
            #expect(parsed.info.recipients.map(\.description) == inspected.recipients.map(\.description))
            #expect(parsed.info.recipients.map(\.keyTransport) == [.rsaOAEPSHA256, .rsaOAEPSHA256])
            for (name, certificate) in zip(Self.recipients, certificates) {
                let key = try TestMaterial.key(name)
                #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: certificate) == TestMaterial.plaintext)
                #expect(try parsed.decrypt(key: key, certificate: certificate) == TestMaterial.plaintext)
                #expect(try parsed.decrypt(key: key) == TestMaterial.plaintext, "again, trying every recipient")
            }
        }
    }

    @Test func throwsWhatInspectAndDecryptThrow() throws {
        let certificate = try TestMaterial.certificate("test-recipient-a")
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate])
        let parsed = try ParsedEnvelope(envelope)
        let keyC = try TestMaterial.key("test-recipient-c")
        let certificateC = try TestMaterial.certificate("test-recipient-c")
        #expect(throws: CMSError(.notARecipient)) { try parsed.decrypt(key: keyC, certificate: certificateC) }
        #expect(throws: CMSError(.notARecipient)) { try parsed.decrypt(key: keyC) }
        #expect(throws: CMSError(.keyDoesNotMatchCertificate)) { try parsed.decrypt(key: keyC, certificate: certificate) }
        #expect(Self.failure { try parsed.decrypt(key: keyC, certificate: certificateC) }
                == Self.failure { try EnvelopedData.decrypt(envelope, key: keyC, certificate: certificateC) })
        #expect(Self.failure { try parsed.decrypt(key: keyC) }
                == Self.failure { try EnvelopedData.decrypt(envelope, key: keyC) })
        #expect(throws: CMSError(.malformedEnvelope)) { try ParsedEnvelope(Array(envelope.dropLast())) }
        #expect(throws: CMSError(.malformedEnvelope)) { try ParsedEnvelope([]) }
    }
}
