import CMS
import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Deidentification
import Foundation

/// Fixtures, keys and a de-identifier for profile tests.
enum ProfileTestSupport {
    static let secret = Array("test-only secret for keyed mappings, not for real data".utf8)

    static func fixture(_ name: String) throws -> Part10File {
        try Part10Reader.read(contentsOf: RepositoryPaths.fixtures.appendingPathComponent(name).path)
    }

    static var fixtureNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".dcm") }.sorted()
    }

    static var profiles: URL { RepositoryPaths.root.appendingPathComponent("Profiles") }

    static func deidentifier(profile: Profile) throws -> Deidentifier {
        let certificate = try RecipientCertificate(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path)
        return Deidentifier(settings: DeidentificationSettings(
            policy: DeidentificationPolicy(options: profile.options, profile: profile),
            keys: MappingKeys(secret: secret), recipients: Recipients([certificate])))
    }

    static func key() throws -> RecipientPrivateKey {
        try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
                                passphrase: nil)
    }

    /// The data set encoded in the file's own encoding.
    static func dataSetBytes(_ file: Part10File) throws -> [UInt8] {
        try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(file.dataSet)
    }

    /// What re-identification must give back: the original data set byte for byte, except Patient Identity
    /// Removed, which PS3.15 E.1.2 sets to NO when the original lacked it.
    static func expectedRestoration(_ original: Part10File) throws -> [UInt8] {
        var expected = original
        if !expected.dataSet.contains(.patientIdentityRemoved) {
            expected.dataSet.set(DataElement(tag: .patientIdentityRemoved, vr: .CS, string: "NO"))
        }
        return try dataSetBytes(expected)
    }

    /// De-identifies through bytes and re-identifies: the output as a receiver reads it, and the restored data
    /// set bytes.
    static func roundTrip(_ file: Part10File, _ deidentifier: Deidentifier) throws -> (output: Part10File, restored: [UInt8]) {
        try reidentify(try deidentifier.deidentify(file))
    }

    /// Writes a de-identification result, reads it back and re-identifies it.
    static func reidentify(_ result: DeidentificationResult) throws -> (output: Part10File, restored: [UInt8]) {
        let output = try Part10Reader.read(bytes: try Part10Writer.encode(result.file))
        let restored = try Reidentifier(key: try key()).reidentify(output)
        return (output, try dataSetBytes(restored.file))
    }

    /// Writes `text` to a new temporary file named `name` and returns its path.
    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profile-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
