import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Foundation
import Testing

/// `--profile` and `--private-dispositions` on the command line: applied, reversed, and bad files refused
/// before anything is written.
struct ProfileCLITests {
    static let example = RepositoryPaths.root.appendingPathComponent("Profiles/examples/site-profile.yaml").path

    @Test func nativeProfileRunsAndReverses() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = Sandbox.fixture("ct-explicit-le.dcm")
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [input, "--output", out, "--recipient", Sandbox.recipientA,
                                                "--profile", Self.example])
        #expect(run.status == 0, "\(run.stderrText)")
        let files = Sandbox.files(under: out)
        #expect(files.count == 1)
        let output = try Part10Reader.read(contentsOf: out + "/" + (files.first ?? ""))
        #expect(output.dataSet[.institutionName]?.string() == "Example Site 07")
        #expect(output.dataSet[.deidentificationMethod]?.string()?.contains("site-profile.yaml") == true)
        let back = try sandbox.run(.reidentify, [out, "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(back.status == 0, "\(back.stderrText)")
        let restored = try Part10Reader.read(contentsOf: sandbox.path("R") + "/" + (Sandbox.files(under: sandbox.path("R")).first ?? ""))
        let original = try Part10Reader.read(contentsOf: input)
        #expect(restored.dataSet[.institutionName]?.string() == original.dataSet[.institutionName]?.string())
        #expect(restored.dataSet[.studyDate]?.string() == original.dataSet[.studyDate]?.string())
    }

    @Test func dryRunNamesTheProfileLine() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let run = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--dry-run", "--profile", Self.example])
        #expect(run.status == 0, "\(run.stderrText)")
        let line = run.stdoutLines.first { $0.hasPrefix("(0008,0080)") } ?? ""
        #expect(line.contains("replace") && line.contains("site-profile.yaml:20"), "\(line)")
    }

    @Test(arguments: [
        ("bad.yaml", "version: 1\nbase: basic\nrules:\n  - match: PatientName\n    action: frobnicate\n", "bad.yaml:4: rule 1: unknown action 'frobnicate'"),
        ("bad.yaml", "version: 1\nbase: basic\nrules: [\n", "bad.yaml:4: malformed YAML"),
        ("bad.csv", "group,private_creator,element,action\n0018,ACME,0C,keep\n", "bad.csv:2: group '0018'"),
    ])
    func badProfileFilesExit2AndWriteNothing(_ name: String, _ text: String, _ expected: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let path = sandbox.path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let flag = name.hasSuffix(".csv") ? "--private-dispositions" : "--profile"
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", out,
                                                "--recipient", Sandbox.recipientA, flag, path])
        #expect(run.status == 2)
        #expect(run.stderrLines.count == 1, "\(run.stderrText)")
        #expect(run.stderrText.contains(expected), "\(run.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written for a bad profile")
    }

    static let ricord = RepositoryPaths.root.appendingPathComponent("Profiles/ricord/ricord.script").path

    @Test func ricordScriptRunsAndReverses() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [RepositoryPaths.fixtures.path, "--output", out, "--recipient", Sandbox.recipientA,
                                                "--ctp-script", Self.ricord, "--ctp-param", "SITEID=RICORD-07",
                                                "--ctp-param", "UIDROOT=1.2.826.0.1.3680043.10.999",
                                                "--mapping-db", sandbox.path("map.sqlite")])
        #expect(run.status == 0, "\(run.stderrText)")
        let written = Sandbox.files(under: out)
        #expect(written.count == FixtureFiles.dicom.count)
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.path("map.sqlite"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the mapping database holds original IDs")
        let back = try sandbox.run(.reidentify, [out, "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(back.status == 0, "\(back.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R")).count == FixtureFiles.dicom.count)
    }

    @Test(arguments: [
        (["--ctp-param", "SITEID=X"], "placeholder"),     // UIDROOT still REPLACE-WITH-...
        (["--ctp-param", "NOPE=1", "--ctp-param", "SITEID=X", "--ctp-param", "UIDROOT=1.2.3"], "NOPE"),
        (["--ctp-param", "SITEID=X", "--ctp-param", "UIDROOT=1.2.3", "--mapping-db", "postgresql://u:pw@127.0.0.1:1/db"], "mapping database"),
        (["--ctp-param", "SITEID=X", "--ctp-param", "UIDROOT=1.2.3", "--retain-uids"], "options do not apply"),
    ])
    func badScriptSetupsExit2AndWriteNothing(_ extra: [String], _ expected: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", out, "--recipient", Sandbox.recipientA,
                                                "--ctp-script", Self.ricord, "--mapping-db", sandbox.path("m.sqlite")] + extra)
        #expect(run.status == 2, "\(run.stderrText)")
        #expect(run.stderrLines.count == 1, "\(run.stderrText)")
        #expect(run.stderrText.contains(expected), "\(run.stderrText)")
        #expect(!run.stderrText.contains("pw"), "password printed")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Each kind of bad script or database: one line, exit status 2, no output folder.
    @Test(arguments: [
        ("malformed-xml", "<script><e en=\"T\" t=\"00100010\" n=\"PatientName\">@remove()</e>", "s.script"),
        ("unknown-function", "<script>\n<e en=\"T\" t=\"00100010\" n=\"PatientName\">@frobnicate(this)</e>\n</script>",
         "s.script:2: element (0010,0010) PatientName"),
        ("missing-param", "<script>\n<e en=\"T\" t=\"00100020\" n=\"PatientID\">@hashptid(@SITEID,this)</e>\n</script>",
         "s.script:2: element (0010,0020) PatientID"),
        ("bad-tag", "<script>\n<e en=\"T\" t=\"0010002G\" n=\"PatientID\">@remove()</e>\n</script>", "s.script:2:"),
        ("corrupt-db", "<script>\n<e en=\"T\" t=\"00100020\" n=\"PatientID\">@integer(this,ptid,6)</e>\n</script>", "corrupt.sqlite"),
        ("read-only-db", "<script>\n<e en=\"T\" t=\"00100020\" n=\"PatientID\">@integer(this,ptid,6)</e>\n</script>", "readonly.sqlite"),
    ])
    func badScriptsAndDatabasesExit2(_ kind: String, _ script: String, _ expected: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let path = sandbox.path("s.script")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        var database = sandbox.path("map.sqlite")
        if kind == "corrupt-db" {
            database = sandbox.path("corrupt.sqlite")
            try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: database))
        } else if kind == "read-only-db" {
            database = sandbox.path("readonly.sqlite")
            let first = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", sandbox.path("FIRST"),
                                                      "--recipient", Sandbox.recipientA, "--ctp-script", path,
                                                      "--mapping-db", database])
            #expect(first.status == 0, "\(first.stderrText)")
            #expect(chmod(database, 0o400) == 0)
        }
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", out, "--recipient", Sandbox.recipientA,
                                                "--ctp-script", path, "--mapping-db", database])
        #expect(run.status == 2, "\(kind): \(run.stderrText)")
        #expect(run.stderrLines.count == 1, "\(kind): \(run.stderrText)")
        #expect(run.stderrText.contains(expected), "\(kind): \(run.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: out), "\(kind): nothing is written")
    }

    /// A dry run shows the numbers @integer would give, and neither creates nor changes the database.
    @Test func dryRunDoesNotTouchTheMappingDatabase() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let database = sandbox.path("map.sqlite")
        let arguments = [Sandbox.fixture("ct-explicit-le.dcm"), "--ctp-script", Self.ricord, "--ctp-param", "SITEID=R7",
                         "--ctp-param", "UIDROOT=1.2.3", "--mapping-db", database]
        let dry = try sandbox.run(.deidentify, arguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: database))
        let run = try sandbox.run(.deidentify, arguments + ["--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA])
        #expect(run.status == 0, "\(run.stderrText)")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let again = try sandbox.run(.deidentify, [Sandbox.fixture("sc-latin1-explicit-le.dcm")] + arguments.dropFirst() + ["--dry-run"])
        #expect(again.status == 0, "\(again.stderrText)")
        #expect((try Data(contentsOf: URL(fileURLWithPath: database))) == before, "a dry run changed the database")
    }
}
