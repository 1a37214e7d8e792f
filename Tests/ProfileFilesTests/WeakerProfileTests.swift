import CTPScript
import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Deidentification
import Foundation
import MappingStore
import ProfileFiles
import Testing

/// Issue 24: profiles that weaken the Basic Profile say so at load time, and their outputs claim only what
/// was done (no 113100, Patient Identity Removed NO where a name or ID was kept).
struct WeakerProfileTests {
    static let functions = ProfileRequest.functionCompiler(keyedBy: nil)

    static func profile(_ yaml: String) throws -> Profile {
        try NativeProfileParser.parse(yaml, file: "p.yaml", functions: functions).makeProfile(name: "p.yaml")
    }

    /// H2: `everything-else: keep` ahead of the Basic Profile's rules.
    static let h2 = "version: 1\nbase: basic\nrules:\n  - match: everything-else\n    action: keep\n"
    /// M1: `base: none` keeping everything.
    static let m1 = "version: 1\nbase: none\nrules:\n  - match: everything-else\n    action: keep\n"

    @Test(arguments: [h2, m1])
    func keepEverythingProfilesWarnPerFamily(_ yaml: String) throws {
        let comparison = try Self.profile(yaml).comparison
        let summary = try #require(comparison.summary)
        for family in ["names", "IDs", "dates", "UIDs", "institution", "unlisted"] {
            #expect(summary.contains(family + " "), "\(family) missing from: \(summary)")
        }
        // Private attributes no rule names go whatever the catch-all says (issue 22: profiles own their safety).
        #expect(!summary.contains("private "), "\(summary)")
        #expect(comparison.keepsWhatBasicRemoves)
        #expect(comparison.weakenings.contains { $0.attribute.contains("Patient's Name") })
    }

    @Test(arguments: [h2, m1])
    func keepEverythingProfilesClaimNeitherYesNor113100(_ yaml: String) throws {
        let deidentifier = try ProfileTestSupport.deidentifier(profile: try Self.profile(yaml))
        let original = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
        #expect(original.dataSet[.patientName]?.string()?.isEmpty == false)
        let result = try deidentifier.deidentify(original)
        let ds = result.file.dataSet
        #expect(ds[.patientIdentityRemoved]?.string() == "NO")
        #expect(!ds.contains(.deidentificationMethodCodeSequence))
        #expect(result.plan.notes.contains { $0.hasPrefix("Patient Identity Removed NO: the profile kept (0010,0010) PatientName") },
                "\(result.plan.notes)")
        #expect(!result.plan.notes.joined().contains(original.dataSet[.patientName]?.string() ?? "?"), "no value in notes")
    }

    @Test func aProfileThatOnlyKeepsDescriptionsStillSaysYes() throws {
        let profile = try Self.profile("version: 1\nbase: basic\nrules:\n  - match: StudyDescription\n    action: keep\n")
        let summary = try #require(profile.comparison.summary)
        #expect(summary.contains("other 1"), "\(summary)")
        let output = try ProfileTestSupport.deidentifier(profile: profile).deidentify(try ProfileTestSupport.fixture("ct-explicit-le.dcm"))
        #expect(output.file.dataSet[.patientIdentityRemoved]?.string() == "YES")
    }

    @Test func privateAttributesKeptByCreatorCountUnlessSafeUnderTheOption() throws {
        let csv = "group,private_creator,element,action\n0019,ACME TEST,0C,keep\n0019,ACME TEST,0D,remove\n"
        let path = try ProfileTestSupport.temporaryFile("dispositions.csv", csv)
        let plain = try Self.profile("version: 1\nbase: basic\nprivate-dispositions: [\(path)]\n")
        #expect(plain.comparison.weakenings.map(\.attribute) == ["(0019,\"ACME TEST\",0C)"])
        #expect(plain.comparison.summary?.contains("private 1") == true)
        // The shipped safe list, under Retain Safe Private, keeps only what the option allows.
        let safeList = ProfileTestSupport.profiles.appendingPathComponent("private/ps3.15-e.3.10-1-safe.csv").path
        let safe = try Self.profile("version: 1\nbase: basic\noptions: [retainSafePrivate]\nprivate-dispositions: [\(safeList)]\n")
        #expect(safe.comparison.summary == nil, "\(safe.comparison.summary ?? "")")
    }

    @Test func builtInAndStrictProfilesDoNotWarn() throws {
        #expect(Profile(options: [.retainLongitudinalModifiedDates]).comparison.summary == nil)
        let strict = try Self.profile("version: 1\nbase: basic\nrules:\n  - match: StudyDescription\n    action: remove\n")
        #expect(strict.comparison.summary == nil, "\(strict.comparison.summary ?? "")")
    }

    /// A CTP script's own codes: dropped when it keeps what the Basic Profile would not (RICORD keeps Instance
    /// Creation Date, Study Description, ...), and 113101 unless this tool cleaned the pixels. Patient Identity
    /// Removed stays YES: RICORD replaces name and ID.
    @Test func scriptClaimsAreCheckedToo() throws {
        let ricord = try CTPProfileTests.ricordProfile()
        #expect(ricord.comparison.keepsWhatBasicRemoves)
        let ricordOutput = try ProfileTestSupport.deidentifier(profile: ricord).deidentify(try ProfileTestSupport.fixture("ct-explicit-le.dcm"))
        #expect(!ricordOutput.file.dataSet.contains(.deidentificationMethodCodeSequence))
        #expect(ricordOutput.file.dataSet[.patientIdentityRemoved]?.string() == "YES")

        let script = """
        <script>
        <e en="T" t="00100010" n="PatientName">@remove()</e>
        <e en="T" t="00120064" n="DeIdentificationMethodCodeSequence">113101/99999</e>
        <r en="T" t="unspecifiedelements">Remove unchecked elements</r>
        </script>
        """
        let profile = try CTPProfile.make(script, file: "s.script", parameters: [:], environment: CTPEnvironment())
        let output = try ProfileTestSupport.deidentifier(profile: profile).deidentify(try ProfileTestSupport.fixture("ct-explicit-le.dcm"))
        let codes = (output.file.dataSet[.deidentificationMethodCodeSequence]?.sequence?.items ?? [])
            .compactMap { $0.dataSet[Tag(0x0008, 0x0100)]?.string() }
        #expect(codes == ["99999"], "113101 without pixel cleaning is not claimed; other codes stay")
    }

    // MARK: - H3: duplicate keys

    @Test(arguments: [
        ("version: 1\nbase: basic\nrules:\n  - match: PatientName\n    action: remove\nrules:\n  - match: StudyDate\n    action: keep\n",
         "p.yaml:6: key 'rules' given twice in one mapping (first on line 3)"),
        ("version: 1\nbase: basic\nrules:\n  - match: PatientName\n    action: remove\n    action: keep\n",
         "p.yaml:6: key 'action' given twice in one mapping (first on line 5)"),
        ("version: 1\nbase: basic\nparameters:\n  SITE: a\n  SITE: b\n", "p.yaml:5: key 'SITE' given twice"),
    ])
    func duplicateKeysAreRefused(_ yaml: String, _ expected: String) {
        #expect(throws: ProfileFileError.self) { try NativeProfileParser.parse(yaml, file: "p.yaml") }
        do {
            _ = try NativeProfileParser.parse(yaml, file: "p.yaml")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    /// The duplicate-key walk visits every node: aliases that expand exponentially are cut short.
    @Test func aliasBombIsRefusedQuickly() throws {
        var yaml = "version: 1\nbase: basic\nx0: &a0 [y, y, y, y, y, y, y, y, y, y]\n"
        for level in 1...9 {
            yaml += "x\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let start = ContinuousClock.now
        #expect(throws: ProfileFileError.self) { try NativeProfileParser.parse(yaml, file: "p.yaml") }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    // MARK: - Safety rules

    @Test(arguments: [h2, m1, "version: 1\nbase: basic\n"])
    func commandGroupElementsAreRemovedByEveryProfile(_ yaml: String) throws {
        var file = try ProfileTestSupport.fixture("ct-explicit-le.dcm")
        file.dataSet.set(DataElement(tag: Tag(0x0000, 0x0902), vr: .LO, string: "DOE^JANE"))
        file.dataSet.set(DataElement(tag: Tag(0x0000, 0x0000), vr: .UL, bytes: [10, 0, 0, 0]))
        let reread = try Part10Reader.read(bytes: try Part10Writer.encode(file))
        for profile in [try Self.profile(yaml), Profile(options: [])] {
            let output = try ProfileTestSupport.deidentifier(profile: profile).deidentify(reread).file
            #expect(!output.dataSet.contains(Tag(0x0000, 0x0902)))
            #expect(!output.dataSet.contains(Tag(0x0000, 0x0000)), "the command group's length goes with it")
            let (_, restored) = try ProfileTestSupport.roundTrip(reread, try ProfileTestSupport.deidentifier(profile: profile))
            #expect(restored == (try ProfileTestSupport.expectedRestoration(reread)), "restored byte for byte")
        }
    }
}
