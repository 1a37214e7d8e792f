import CMS
import Testing

/// Damaged envelopes never crash; they throw a CMSError, or (where CBC cannot tell) decrypt to different bytes.
///
/// What each damage does, with recipient A's key and certificate (AES-256-CBC, PKCS#1 v1.5, 51-byte plaintext):
/// - ContentInfo header or length octets: `.malformedEnvelope` (DER no longer parses, or bytes are left over).
/// - Issuer name or serial number in the RecipientInfo: `.notARecipient` when the certificate selects the
///   recipient; without a certificate the key still opens it (identifiers are not authenticated) and the content
///   decrypts correctly.
/// - Encrypted content key: `.decryptionFailed` (RSA padding check). With implicit rejection (OpenSSL 3.2+ PKCS#1
///   v1.5) the unwrap yields a wrong key instead and the content then fails its CBC padding or decrypts to garbage.
/// - IV: decrypts without error to a plaintext whose first block has the same bit flipped (CBC has no integrity).
/// - Ciphertext block other than the last two: decrypts without error; one block garbled, the next one bit-flipped.
/// - Last ciphertext block: `.decryptionFailed` (bad padding), except the ~1/256 chance that garbage padding is
///   valid, which yields a different plaintext.
/// - Truncation anywhere, or bytes appended: `.malformedEnvelope`.
@Suite("Tampering and garbage")
struct TamperingTests {
    struct Sample {
        var envelope: [UInt8]
        var key: RecipientPrivateKey
        var certificate: RecipientCertificate

        init() throws {
            certificate = try TestMaterial.certificate("test-recipient-a")
            key = try TestMaterial.key("test-recipient-a")
            envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [certificate])
        }

        func flipped(at offset: Int, mask: UInt8 = 0x01) -> [UInt8] {
            var copy = envelope
            copy[offset] ^= mask
            return copy
        }

        /// Offset of the first occurrence of `pattern`.
        func offset(of pattern: [UInt8]) throws -> Int {
            let found = envelope.indices.first { envelope[$0...].starts(with: pattern) }
            return try #require(found, "pattern \(pattern) not in envelope")
        }

        enum Outcome: Equatable {
            case threw(CMSError.Code)
            case decrypted([UInt8])
        }

        func decrypt(_ bytes: [UInt8], withCertificate: Bool = true) -> Outcome {
            do {
                return .decrypted(try EnvelopedData.decrypt(bytes, key: key, certificate: withCertificate ? certificate : nil))
            } catch {
                return .threw(error.code)    // typed: decrypt throws CMSError only
            }
        }

        /// Thrown, or decrypted to something other than the plaintext.
        func isRejectedOrChanged(_ outcome: Outcome) -> Bool {
            outcome != .decrypted(TestMaterial.plaintext)
        }
    }

    @Test("header and length octets", arguments: [0, 1, 2, 3])
    func damagedHeaderIsMalformed(offset: Int) throws {
        let sample = try Sample()
        #expect(sample.decrypt(sample.flipped(at: offset)) == .threw(.malformedEnvelope))
        #expect(throws: CMSError(.malformedEnvelope)) { try EnvelopedData.inspect(sample.flipped(at: offset)) }
    }

    @Test func damagedIssuerNameIsNotARecipient() throws {
        let sample = try Sample()
        let damaged = sample.flipped(at: try sample.offset(of: Array("recipient A".utf8)) + 10)
        #expect(sample.decrypt(damaged) == .threw(.notARecipient))
        #expect(sample.decrypt(damaged, withCertificate: false) == .decrypted(TestMaterial.plaintext))
    }

    @Test func damagedSerialNumberIsNotARecipient() throws {
        let sample = try Sample()
        let damaged = sample.flipped(at: try sample.offset(of: [0x02, 0x02, 0x0A, 0x01]) + 3)
        #expect(sample.decrypt(damaged) == .threw(.notARecipient))
        #expect(try EnvelopedData.inspect(damaged).recipients.first?.serialNumberHex == "0A00")
    }

    @Test("encrypted content key", arguments: [0, 1, 128, 255])
    func damagedEncryptedKeyIsRejected(position: Int) throws {
        let sample = try Sample()
        // encryptedKey OCTET STRING of a 2048-bit RSA key: 04 82 01 00 + 256 bytes.
        let start = try sample.offset(of: [0x04, 0x82, 0x01, 0x00]) + 4
        let outcome = sample.decrypt(sample.flipped(at: start + position))
        #expect(sample.isRejectedOrChanged(outcome))
        if case .threw(let code) = outcome { #expect(code == .decryptionFailed) }
    }

    @Test func damagedIVFlipsTheSameBitOfTheFirstBlock() throws {
        let sample = try Sample()
        // id-aes256-CBC followed by the IV OCTET STRING (04 10).
        let oid: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A, 0x04, 0x10]
        let iv = try sample.offset(of: oid) + oid.count
        var expected = TestMaterial.plaintext
        expected[5] ^= 0x01
        #expect(sample.decrypt(sample.flipped(at: iv + 5)) == .decrypted(expected))
    }

    @Test func damagedMiddleCiphertextBlockChangesThePlaintext() throws {
        let sample = try Sample()
        // 51 bytes -> 4 AES blocks, the last element of the envelope. Flip inside block 1 of 0...3.
        let outcome = sample.decrypt(sample.flipped(at: sample.envelope.count - 48 + 3))
        guard case .decrypted(let plaintext) = outcome else {
            Issue.record("expected a (garbled) plaintext, got \(outcome)")
            return
        }
        #expect(plaintext.count == TestMaterial.plaintext.count)
        #expect(plaintext[..<16] == TestMaterial.plaintext[..<16])
        #expect(plaintext[16..<32] != TestMaterial.plaintext[16..<32])
        #expect(plaintext[32 + 3] == TestMaterial.plaintext[32 + 3] ^ 0x01)
    }

    @Test("last ciphertext block", arguments: [1, 8, 16])
    func damagedLastBlockIsRejected(fromEnd: Int) throws {
        let sample = try Sample()
        let outcome = sample.decrypt(sample.flipped(at: sample.envelope.count - fromEnd))
        #expect(sample.isRejectedOrChanged(outcome))
        if case .threw(let code) = outcome { #expect(code == .decryptionFailed) }
    }

    @Test func truncationIsMalformed() throws {
        let sample = try Sample()
        let count = sample.envelope.count
        for length in [0, 1, 2, 4, 10, 40, 100, count / 2, count - 65, count - 17, count - 16, count - 1] {
            let truncated = Array(sample.envelope.prefix(length))
            #expect(sample.decrypt(truncated) == .threw(.malformedEnvelope), "truncated to \(length) of \(count)")
            #expect(sample.decrypt(truncated, withCertificate: false) == .threw(.malformedEnvelope))
        }
    }

    @Test func appendedBytesAreMalformed() throws {
        let sample = try Sample()
        #expect(sample.decrypt(sample.envelope + [0x00]) == .threw(.malformedEnvelope))
        #expect(sample.decrypt(sample.envelope + sample.envelope) == .threw(.malformedEnvelope))
    }

    @Test func everySingleByteDamageIsHandled() throws {
        let sample = try Sample()
        var rejected = 0
        for offset in sample.envelope.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                // Any outcome but a crash or a foreign error type is acceptable here (some bytes, e.g. the
                // version number or the inner content type, are not checked by anyone).
                if sample.isRejectedOrChanged(sample.decrypt(sample.flipped(at: offset, mask: mask))) { rejected += 1 }
            }
        }
        #expect(rejected > sample.envelope.count * 3 * 9 / 10)
    }

    @Test("random garbage", arguments: [1, 2, 3, 16, 100, 501, 4096])
    func randomGarbageIsMalformed(count: Int) throws {
        let sample = try Sample()
        for seed in UInt64(0)..<8 {
            var garbage = TestMaterial.pseudoRandomBytes(count: count, seed: seed &* 7919 &+ UInt64(count))
            #expect(sample.decrypt(garbage) == .threw(.malformedEnvelope))
            #expect(sample.decrypt(garbage, withCertificate: false) == .threw(.malformedEnvelope))
            #expect(throws: CMSError(.malformedEnvelope)) { try EnvelopedData.inspect(garbage) }
            // The same garbage behind a plausible SEQUENCE header.
            if count > 4 {
                garbage[0] = 0x30
                garbage[1] = 0x82
                garbage[2] = UInt8((count - 4) >> 8)
                garbage[3] = UInt8((count - 4) & 0xFF)
                #expect(sample.decrypt(garbage) == .threw(.malformedEnvelope))
            }
        }
    }

    @Test func otherContentTypesAreMalformed() throws {
        let sample = try Sample()
        // A certificate is DER but not a ContentInfo.
        #expect(sample.decrypt(sample.certificate.derBytes) == .threw(.malformedEnvelope))
        // ContentInfo { id-data, [0] OCTET STRING "x" }.
        let data: [UInt8] = [0x30, 0x14, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
                             0xA0, 0x07, 0x04, 0x05, 0x68, 0x65, 0x6C, 0x6C, 0x6F]
        let outcome = sample.decrypt(data)
        #expect(outcome == .threw(.malformedEnvelope))
    }
}
