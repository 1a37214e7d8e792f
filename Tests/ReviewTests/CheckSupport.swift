import CMS
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Deidentification
import Foundation
import ProfileFiles
@testable import Review

/// Fixtures, keys and a planted patient for the leftover-check tests. All values are synthetic.
enum CheckSupport {
    static let secret = Array("test-only secret for the review tests".utf8)
    /// The planted patient: name, ID, birth date.
    static let familyName = "WHITAKER", givenName = "ROSALIND", patientID = "PID88231X", birthDate = "19700101"

    static var fixtureNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".dcm") }.sorted()
    }

    static func fixture(_ name: String) throws -> Part10File {
        try Part10Reader.read(contentsOf: RepositoryPaths.fixtures.appendingPathComponent(name).path)
    }

    static func reidentifier() throws -> Reidentifier {
        Reidentifier(key: try RecipientPrivateKey(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
                                                  passphrase: nil))
    }

    static func deidentifier(options: Set<ProfileOption> = [], profile: Profile? = nil) throws -> Deidentifier {
        let certificate = try RecipientCertificate(contentsOf: RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path)
        return Deidentifier(settings: DeidentificationSettings(
            policy: DeidentificationPolicy(options: options, profile: profile),
            keys: MappingKeys(secret: secret), recipients: Recipients([certificate])))
    }

    /// A native profile on the Basic Profile that keeps Series Description (as RICORD keeps descriptions).
    static func keepsDescriptions() throws -> Profile {
        let text = """
        version: 1
        base: basic
        rules:
          - match: SeriesDescription
            action: keep
        """
        return try NativeProfileParser.parse(text, file: "keeps-descriptions.yaml").makeProfile(name: "keeps-descriptions.yaml")
    }

    /// The CT fixture with the planted patient, then `plant` applied; written and read back, so it is a real file.
    static func planted(_ plant: (inout DataSet) -> Void) throws -> Part10File {
        var file = try fixture("ct-explicit-le.dcm")
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x0010), vr: .PN, string: "\(familyName)^\(givenName)"))
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, string: patientID))
        file.dataSet.set(DataElement(tag: Tag(0x0010, 0x0030), vr: .DA, string: birthDate))
        plant(&file.dataSet)
        return try Part10Reader.read(bytes: try Part10Writer.encode(file))
    }

    static func sequence(_ tag: Tag, _ elements: [DataElement]) -> DataElement {
        DataElement(tag: tag, vr: .SQ, value: .sequence(SequenceOfItems(items: [Item(dataSet: DataSet(elements))])))
    }
}
