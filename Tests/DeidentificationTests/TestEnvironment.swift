import FileSystem
import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation

/// Fixtures, keys and helpers shared by the de-identification tests.
enum TestEnvironment {
    static let secret = Array("test-only secret for keyed mappings, not for real data".utf8)

    static var fixtureNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".dcm") }.sorted()
    }

    static func fixture(_ name: String) throws -> Part10File {
        try Part10Reader.read(contentsOf: RepositoryPaths.fixtures.appendingPathComponent(name).path)
    }

    static func fixtureBytes(_ name: String) throws -> [UInt8] {
        try FileIO.readAll(path: RepositoryPaths.fixtures.appendingPathComponent(name).path)
    }

    static func certificate(_ name: String = "test-recipient-a.crt") throws -> RecipientCertificate {
        try RecipientCertificate(contentsOf: RepositoryPaths.keys.appendingPathComponent(name).path)
    }

    static func key(_ name: String = "test-recipient-a.key") throws -> RecipientPrivateKey {
        try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent(name).path, passphrase: nil)
    }

    static func deidentifier(options: Set<ProfileOption> = [], cipher: ContentCipher = .aes256CBC,
                             keyTransport: KeyTransport = .rsaPKCS1v15,
                             lookup: PatientLookupTable? = nil, allowRepeat: Bool = false) throws -> Deidentifier {
        Deidentifier(settings: DeidentificationSettings(
            policy: DeidentificationPolicy(options: options, allowRepeat: allowRepeat),
            keys: MappingKeys(secret: secret, patientLookup: lookup),
            recipients: Recipients([try certificate()], cipher: cipher, keyTransport: keyTransport)))
    }

    /// The data set of `file` encoded in its own encoding: what "byte for byte, file meta aside" compares.
    static func dataSetBytes(_ file: Part10File) throws -> [UInt8] {
        try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(file.dataSet)
    }

    /// De-identifies, writes, reads back: the file as a receiver sees it.
    static func deidentifyThroughBytes(_ file: Part10File, with deidentifier: Deidentifier) throws -> (Part10File, [UInt8]) {
        let result = try deidentifier.deidentify(file)
        let bytes = try Part10Writer.encode(result.file)
        return (try Part10Reader.read(bytes: bytes), bytes)
    }
}
