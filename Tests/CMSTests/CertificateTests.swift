import CMS
import Foundation
import Testing

@Suite("Certificates and checks")
struct CertificateTests {
    @Test func readsPEMAndDERAlike() throws {
        let pem = try TestMaterial.certificate("test-recipient-a")
        let der = try RecipientCertificate(contentsOf: TestMaterial.keyPath("test-recipient-a.der"))
        let fromBytes = try RecipientCertificate(der: TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a.der")))
        let fromPEMBytes = try RecipientCertificate(pem: TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a.crt")))
        for certificate in [der, fromBytes, fromPEMBytes] {
            #expect(certificate.derBytes == pem.derBytes)
        }
        #expect(pem.derBytes == (try TestMaterial.bytes(TestMaterial.keyPath("test-recipient-a.der"))))
        #expect(pem.subject == "CN=dicom-deid TEST-ONLY recipient A,O=NOT FOR REAL DATA")
        #expect(pem.issuer == pem.subject)
        #expect(pem.serialNumberHex == "0A01")
        #expect(pem.keyBits == 2048)
        #expect(pem.keyAlgorithm == "RSA")
        #expect(pem.notBefore == Date(timeIntervalSince1970: 1_735_689_600))   // 2025-01-01T00:00:00Z
        #expect(pem.notAfter == Date(timeIntervalSince1970: 2_366_841_600))    // 2045-01-01T00:00:00Z
        #expect(pem.description == "CN=dicom-deid TEST-ONLY recipient A,O=NOT FOR REAL DATA, serial 0A01")
        #expect(pem.subjectKeyIdentifierHex?.count == 40)
    }

    /// A fixed moment inside the test certificates' validity (2025-01-01 to 2045-01-01), so the checks give the
    /// same answer whatever day the tests run.
    static let checkedAt = Date(timeIntervalSince1970: 1_780_272_000)   // 2026-06-01T00:00:00Z

    @Test func acceptableCertificatesHaveNoWarnings() throws {
        #expect(try TestMaterial.certificate("test-recipient-a").check(now: Self.checkedAt) == [])
        // keyUsage absent is fine.
        #expect(try TestMaterial.certificate("test-recipient-b").check(now: Self.checkedAt) == [])
    }

    @Test func weakKeyIsRefusedUnlessAllowed() throws {
        let weak = try TestMaterial.certificate("test-weak-1024")
        #expect(weak.keyBits == 1024)
        let error = try #require(throws: CMSError.self) { try weak.check() }
        #expect(error.code == .weakKey)
        #expect(error.description.contains("1024-bit"))
        #expect(try weak.check(allowWeakKeys: true) == [])
        #expect(throws: CMSError(.weakKey)) { try EnvelopedData.encrypt(TestMaterial.plaintext, to: [weak]) }
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [weak], allowWeakKeys: true)
        #expect(try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-weak-1024"), certificate: weak)
                == TestMaterial.plaintext)
    }

    @Test func ecCertificateIsNotRSA() throws {
        let ec = try TestMaterial.certificate("test-ec")
        #expect(ec.keyAlgorithm == "EC")
        #expect(throws: CMSError(.notRSA)) { try ec.check() }
        #expect(throws: CMSError(.notRSA)) { try ec.check(allowWeakKeys: true) }
        #expect(throws: CMSError(.notRSA)) { try EnvelopedData.encrypt(TestMaterial.plaintext, to: [ec]) }
    }

    @Test func keyUsageWithoutKeyEnciphermentIsRefused() throws {
        let signOnly = try TestMaterial.certificate("test-sign-only")
        #expect(throws: CMSError(.keyUsageForbidsEncipherment)) { try signOnly.check() }
        #expect(throws: CMSError(.keyUsageForbidsEncipherment)) {
            try EnvelopedData.encrypt(TestMaterial.plaintext, to: [TestMaterial.certificate("test-recipient-a"), signOnly])
        }
    }

    @Test func expiredCertificateWarns() throws {
        let expired = try TestMaterial.certificate("test-expired")
        let warnings = try expired.check(now: Self.checkedAt)
        #expect(warnings == ["certificate \(expired) expired on 2001-01-01"])
        // Encryption still works: expiry is the user's call.
        let envelope = try EnvelopedData.encrypt(TestMaterial.plaintext, to: [expired])
        #expect(try EnvelopedData.decrypt(envelope, key: TestMaterial.key("test-expired"), certificate: nil)
                == TestMaterial.plaintext)
    }

    @Test func notYetValidCertificateWarns() throws {
        let certificate = try TestMaterial.certificate("test-recipient-a")
        let warnings = try certificate.check(now: Date(timeIntervalSince1970: 946_684_800))   // 2000-01-01
        #expect(warnings == ["certificate \(certificate) is not valid until 2025-01-01"])
    }
}
