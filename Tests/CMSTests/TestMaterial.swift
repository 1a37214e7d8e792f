import CMS
import DICOMTestSupport
import Foundation
import Testing

/// The committed TEST-ONLY keys (Keys/, made by Scripts/make-test-keys.sh) and CMS vectors (Fixtures/cms/).
enum TestMaterial {
    static func keyPath(_ name: String) -> String { RepositoryPaths.keys.appendingPathComponent(name).path }
    static func vectorPath(_ name: String) -> String {
        RepositoryPaths.fixtures.appendingPathComponent("cms").appendingPathComponent(name).path
    }

    static func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

    static func certificate(_ name: String) throws -> RecipientCertificate {
        try RecipientCertificate(contentsOf: keyPath("\(name).crt"))
    }

    static func key(_ name: String) throws -> RecipientPrivateKey {
        try RecipientPrivateKey(contentsOf: keyPath("\(name).key"), passphrase: nil)
    }

    static var passphrase: Passphrase {
        get throws { try Passphrase.fromFile(keyPath("test-passphrase.txt")) }
    }

    /// Fixtures/cms/plaintext.bin: text, CR LF, LF, NUL and 0xFF, so line-ending canonicalisation would show.
    static let plaintext: [UInt8] = Array("dicom-deid CMS test vector 0123456789\r\nline two\n".utf8) + [0x00, 0x01, 0xFF]

    /// Recipient A's issuer and serial as the committed certificate has them.
    static let issuerA = "CN=dicom-deid TEST-ONLY recipient A,O=NOT FOR REAL DATA"
    static let serialA = "0A01"

    /// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
    static func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            value ^= value >> 31
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < count {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
        return bytes
    }

    static func write(_ bytes: [UInt8], to directory: TemporaryDirectory, _ name: String) throws -> String {
        let url = directory.url.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}
