import CMS
import DICOMTestSupport
import Foundation
import Testing

/// Interoperability with the openssl command-line tool, both ways.
@Suite("openssl CLI interop", .enabled(if: OpenSSLCLI.isAvailable, OpenSSLCLI.missingReason))
struct OpenSSLInteropTests {
    static let combinations: [(ContentCipher, KeyTransport)] =
        ContentCipher.allCases.flatMap { cipher in KeyTransport.allCases.map { (cipher, $0) } }

    @Test("openssl cms -decrypt opens what we make", arguments: combinations)
    func opensslDecryptsOurEnvelopes(cipher: ContentCipher, transport: KeyTransport) throws {
        let tool = try #require(OpenSSLCLI.tool)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificate = try TestMaterial.certificate("test-recipient-a")
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate], cipher: cipher,
                                                 keyTransport: transport)
        let input = try TestMaterial.write(envelope, to: directory, "envelope.der")
        let outcome = try tool.run(["cms", "-decrypt", "-binary", "-inform", "DER", "-in", input,
                                    "-inkey", TestMaterial.keyPath("test-recipient-a.key"),
                                    "-recip", TestMaterial.keyPath("test-recipient-a.crt")])
        #expect(outcome.status == 0, "openssl: \(outcome.stderrText)")
        #expect([UInt8](outcome.stdout) == TestMaterial.plaintext)
    }

    @Test("openssl cms -decrypt opens our subject-key-identifier envelopes")
    func opensslDecryptsSubjectKeyIdentifierEnvelopes() throws {
        let tool = try #require(OpenSSLCLI.tool)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [TestMaterial.certificate("test-recipient-a")],
                                                 identifier: .subjectKeyIdentifier)
        let input = try TestMaterial.write(envelope, to: directory, "envelope.der")
        let outcome = try tool.run(["cms", "-decrypt", "-binary", "-inform", "DER", "-in", input,
                                    "-inkey", TestMaterial.keyPath("test-recipient-a.key"),
                                    "-recip", TestMaterial.keyPath("test-recipient-a.crt")])
        #expect(outcome.status == 0, "openssl: \(outcome.stderrText)")
        #expect([UInt8](outcome.stdout) == TestMaterial.plaintext)
    }

    static let opensslOptions: [(arguments: [String], cipher: ContentCipher, transport: KeyTransport)] = [
        (["-aes128"], .aes128CBC, .rsaPKCS1v15),
        (["-aes192"], .aes192CBC, .rsaPKCS1v15),
        (["-aes256"], .aes256CBC, .rsaPKCS1v15),
        (["-des3"], .tripleDESCBC, .rsaPKCS1v15),
        (["-aes256", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256"],
         .aes256CBC, .rsaOAEPSHA256),
        (["-aes128", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256"],
         .aes128CBC, .rsaOAEPSHA256),
    ]

    @Test("we open what openssl cms -encrypt makes", arguments: opensslOptions)
    func weDecryptOpenSSLEnvelopes(options: (arguments: [String], cipher: ContentCipher, transport: KeyTransport)) throws {
        let tool = try #require(OpenSSLCLI.tool)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try TestMaterial.write(TestMaterial.plaintext, to: directory, "plain.bin")
        let output = directory.url.appendingPathComponent("envelope.der").path
        // Key options apply to the -recip before them.
        let outcome = try tool.run(["cms", "-encrypt", "-binary", "-outform", "DER", "-in", input, "-out", output,
                                    "-recip", TestMaterial.keyPath("test-recipient-a.crt")] + options.arguments)
        try #require(outcome.status == 0, "openssl: \(outcome.stderrText)")
        let envelope = try TestMaterial.bytes(output)

        let key = try TestMaterial.key("test-recipient-a")
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: TestMaterial.certificate("test-recipient-a"))
                == TestMaterial.plaintext)
        #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: nil) == TestMaterial.plaintext)
        let info = try EnvelopedData.inspect(envelope)
        #expect(info.cipher == options.cipher)
        #expect(info.recipients.map(\.keyTransport) == [options.transport])
        #expect(info.recipients.map(\.issuer) == [TestMaterial.issuerA])
        #expect(info.recipients.map(\.serialNumberHex) == [TestMaterial.serialA])
    }

    @Test("we open openssl's two-recipient envelope with either key, and B's key alone is told it is not A")
    func weDecryptOpenSSLMultiRecipientEnvelope() throws {
        let tool = try #require(OpenSSLCLI.tool)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try TestMaterial.write(TestMaterial.plaintext, to: directory, "plain.bin")
        let output = directory.url.appendingPathComponent("envelope.der").path
        let outcome = try tool.run(["cms", "-encrypt", "-binary", "-outform", "DER", "-aes256", "-in", input,
                                    "-out", output, TestMaterial.keyPath("test-recipient-a.crt"),
                                    TestMaterial.keyPath("test-recipient-c.crt")])
        try #require(outcome.status == 0, "openssl: \(outcome.stderrText)")
        let envelope = try TestMaterial.bytes(output)
        for name in ["test-recipient-a", "test-recipient-c"] {
            #expect(try EnvelopedData.decrypt(envelope, key: TestMaterial.key(name), certificate: nil)
                    == TestMaterial.plaintext)
        }
        #expect(throws: CMSError(.notARecipient)) {
            try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-recipient-b"), certificate: nil)
        }
    }
}
