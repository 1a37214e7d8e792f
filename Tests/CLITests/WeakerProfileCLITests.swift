import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Foundation
import Testing

/// Issue 24 from the command line: the H2, H3 and M1 profiles, the TCIA-Basic template run as shipped, @lookup
/// without a table and an XML entity bomb.
struct WeakerProfileCLITests {
    /// H2: the Basic Profile switched off by a first rule that keeps everything; M1: base none, keep everything.
    static let h2 = "version: 1\nbase: basic\nrules:\n  - match: everything-else\n    action: keep\n"
    static let m1 = "version: 1\nbase: none\nrules:\n  - match: everything-else\n    action: keep\n"

    @Test(arguments: [("h2.yaml", h2), ("m1.yaml", m1)])
    func keepEverythingProfilesWarnAndClaimNeitherYesNor113100(_ name: String, _ text: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let profile = sandbox.path(name)
        try text.write(toFile: profile, atomically: true, encoding: .utf8)
        let out = sandbox.path("OUT")
        let run = try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: out, ["--profile", profile])
        let warning = run.stderrLines.first { $0.hasPrefix("warning: \(profile): weaker than the Basic Profile: keeps ") }
        #expect(warning != nil, "\(run.stderrText)")
        for family in ["names", "IDs", "dates", "UIDs", "institution", "unlisted"] {
            #expect(warning?.contains(family + " ") == true, "\(family): \(warning ?? "")")
        }
        #expect(warning?.contains("private ") == false, "unnamed private attributes go (a safety rule)")
        let original = try Part10Reader.read(contentsOf: Sandbox.fixture("ct-explicit-le.dcm"))
        let patientName = try #require(original.dataSet[.patientName]?.string())
        #expect(!run.stderrText.contains(patientName), "no patient value in the warnings")
        let output = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: out))
        #expect(output.dataSet[.patientIdentityRemoved]?.string() == "NO")
        #expect(!output.dataSet.contains(.deidentificationMethodCodeSequence), "no 113100")
        #expect(output.dataSet[.deidentificationMethod]?.string()?.contains(name) == true, "the method names the site profile")

        let dry = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--dry-run", "--profile", profile])
        #expect(dry.status == 0, "\(dry.stderrText)")
        #expect(dry.stdoutLines.contains { $0.hasPrefix("# warning: the profile is weaker than the Basic Profile") }, "\(dry.stdoutText.prefix(600))")
        #expect(dry.stdoutLines.contains { $0.contains("names: (0010,0010) Patient's Name: kept") })
    }

    @Test(arguments: [
        ("version: 1\nbase: basic\nrules:\n  - match: PatientName\n    action: remove\nrules:\n  - match: StudyDate\n    action: keep\n",
         "h3.yaml:6: key 'rules' given twice"),
        ("version: 1\nbase: basic\nrules:\n  - match: PatientName\n    action: remove\n    action: keep\n",
         "h3.yaml:6: key 'action' given twice"),
    ])
    func duplicateKeysExit2AndWriteNothing(_ text: String, _ expected: String) throws {
        try Self.expectRefused(file: "h3.yaml", text: text, flag: "--profile", expected: expected)
    }

    @Test func tciaTemplateAsShippedIsRefusedUpFront() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let out = sandbox.path("OUT")
        let tcia = RepositoryPaths.root.appendingPathComponent("Profiles/ctp/TCIA-Basic.script").path
        let run = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", out, "--recipient", Sandbox.recipientA,
                                                "--ctp-script", tcia, "--ctp-lookup", Self.emptyLookup(sandbox)])
        #expect(run.status == 2, "\(run.stderrText)")
        #expect(run.stderrLines.count == 1, "\(run.stderrText)")
        #expect(run.stderrText.contains("TCIA-Basic.script:") && run.stderrText.contains("still the placeholder"), "\(run.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(arguments: [
        ("<script>\n<e en=\"T\" t=\"00100020\" n=\"PatientID\">@lookup(this,ptid)</e>\n</script>",
         "s.script:2: element (0010,0020) PatientID: @lookup needs a lookup table (--ctp-lookup)"),
        ("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">&lol2;</e></script>\n",
         "s.script:2: document type declarations (<!DOCTYPE>) are not allowed in a CTP script"),
    ])
    func badScriptsAreRefusedOnceUpFront(_ text: String, _ expected: String) throws {
        try Self.expectRefused(file: "s.script", text: text, flag: "--ctp-script", expected: expected)
    }

    static func emptyLookup(_ sandbox: Sandbox) throws -> String {
        let path = sandbox.path("lookup.properties")
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func expectRefused(file: String, text: String, flag: String, expected: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let path = sandbox.path(file)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [Sandbox.fixtures, "--output", out, "--recipient", Sandbox.recipientA,
                                                flag, path, "--mapping-db", sandbox.path("m.sqlite")])
        #expect(run.status == 2, "\(run.stderrText)")
        #expect(run.stderrLines.count == 1, "\(run.stderrText)")
        #expect(run.stderrText.contains(expected), "\(run.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
    }
}
