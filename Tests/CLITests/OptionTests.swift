import FileSystem
import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Options that change what is written or printed.
@Suite struct OptionTests {
    @Test func restoresOnlyTheAttributesAsked() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = Sandbox.fixture("ct-explicit-le.dcm")
        try sandbox.deidentify([input], into: sandbox.path("OUT"))
        let deidentified = try Sandbox.onlyFile(under: sandbox.path("OUT"))
        let outcome = try sandbox.run(.reidentify, [deidentified, "--output", sandbox.path("R"), "--key", Sandbox.keyA,
                                                    "--only", "PatientID"])
        #expect(outcome.status == 0, "\(outcome.stderrText)")

        let original = try Part10Reader.read(contentsOf: input)
        let before = try Part10Reader.read(contentsOf: deidentified)
        let partial = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: sandbox.path("R")))
        let patientID = Tag(0x0010, 0x0020), patientName = Tag(0x0010, 0x0010)
        #expect(partial.dataSet[patientID]?.string() == original.dataSet[patientID]?.string())
        #expect(partial.dataSet[patientID]?.string() != before.dataSet[patientID]?.string())
        #expect(partial.dataSet[patientName]?.string() == before.dataSet[patientName]?.string())
        #expect(partial.dataSet[patientName]?.string() != original.dataSet[patientName]?.string())
        #expect(partial.dataSet[Tag(0x0008, 0x0018)]?.string() == before.dataSet[Tag(0x0008, 0x0018)]?.string())
        #expect(partial.dataSet.contains(Tag(0x0400, 0x0500)), "the Encrypted Attributes Sequence is kept")
    }

    /// The form the help shows: a tag's comma does not split the list.
    @Test func onlyTakesTagsWithCommas() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = Sandbox.fixture("ct-explicit-le.dcm")
        try sandbox.deidentify([input], into: sandbox.path("OUT"))
        let outcome = try sandbox.run(.reidentify, [try Sandbox.onlyFile(under: sandbox.path("OUT")), "--output", sandbox.path("R"),
                                                    "--key", Sandbox.keyA, "--only", "PatientID,(0010,0010)"])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        let original = try Part10Reader.read(contentsOf: input)
        let partial = try Part10Reader.read(contentsOf: try Sandbox.onlyFile(under: sandbox.path("R")))
        for tag in [Tag(0x0010, 0x0020), Tag(0x0010, 0x0010)] {
            #expect(partial.dataSet[tag]?.string() == original.dataSet[tag]?.string())
        }
    }

    @Test func keepLayoutMirrorsInputNamesAndWarns() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("in")
        try FileManager.default.createDirectory(atPath: input + "/series-a", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Sandbox.fixture("mr-explicit-le.dcm"), toPath: input + "/series-a/mr.dcm")
        try FileManager.default.copyItem(atPath: Sandbox.fixture("sc-utf8-explicit-le.dcm"), toPath: input + "/sc.dcm")
        let outcome = try sandbox.deidentify([input], into: sandbox.path("OUT"), ["--keep-layout"])
        #expect(Sandbox.files(under: sandbox.path("OUT")) == ["sc.dcm", "series-a/mr.dcm"])
        #expect(outcome.stderrLines.contains { $0.hasPrefix("warning: --keep-layout") }, "\(outcome.stderrText)")

        let back = try sandbox.run(.reidentify, [sandbox.path("OUT"), "--output", sandbox.path("R"), "--key", Sandbox.keyA,
                                                 "--keep-layout"])
        #expect(back.status == 0, "\(back.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R")) == ["sc.dcm", "series-a/mr.dcm"])
    }

    /// Two input folders holding the same relative paths: each is mirrored under its own name, none is renamed -2.
    @Test func keepLayoutMirrorsEachInputFolderUnderItsName() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        for (folder, fixture) in [("site-a", "mr-explicit-le.dcm"), ("site-b", "sc-utf8-explicit-le.dcm")] {
            try FileManager.default.createDirectory(atPath: sandbox.path(folder) + "/series", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Sandbox.fixture(fixture), toPath: sandbox.path(folder) + "/series/image.dcm")
        }
        try FileManager.default.createDirectory(atPath: sandbox.path("other/site-a"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Sandbox.fixture("ct-explicit-le.dcm"), toPath: sandbox.path("other/site-a/image.dcm"))
        let named = Sandbox.fixture("sc-latin1-explicit-le.dcm")
        try sandbox.deidentify([sandbox.path("site-a"), sandbox.path("site-b"), sandbox.path("other/site-a"), named],
                               into: sandbox.path("OUT"), ["--keep-layout"])
        let expected = ["sc-latin1-explicit-le.dcm", "site-a-2/image.dcm", "site-a/series/image.dcm", "site-b/series/image.dcm"]
        #expect(Sandbox.files(under: sandbox.path("OUT")) == expected)

        let back = try sandbox.run(.reidentify, [sandbox.path("OUT/site-a"), sandbox.path("OUT/site-b"), "--output", sandbox.path("R"),
                                                 "--key", Sandbox.keyA, "--keep-layout"])
        #expect(back.status == 0, "\(back.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R")) == ["site-a/series/image.dcm", "site-b/series/image.dcm"])
    }

    @Test func dryRunPrintsOneLinePerAttributeAndWritesNothing() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = Sandbox.fixture("ct-explicit-le.dcm")
        let out = sandbox.path("OUT")
        let outcome = try sandbox.run(.deidentify, [input, "--output", out, "--recipient", Sandbox.recipientA, "--dry-run"])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: out + "-audit.jsonl"))

        let lines = outcome.stdoutLines
        #expect(lines.first?.hasPrefix("# planned actions for \(input)") == true)
        let rows = lines.dropFirst()
        let paths = rows.map { String($0.prefix { $0 != " " }) }
        #expect(rows.allSatisfy { $0.hasPrefix("(") }, "\(outcome.stdoutText)")
        #expect(Set(paths).count == paths.count, "an attribute has more than one line")
        let original = try Part10Reader.read(contentsOf: input)
        for element in original.dataSet.elements {
            let tag = element.tag.description
            #expect(paths.contains(tag) || paths.contains { $0.hasPrefix(tag + "[") }, "no line for \(tag)")
        }
        let leaked = Canaries.found(in: outcome.stdoutText + outcome.stderrText)
        #expect(leaked.isEmpty, "dry run printed patient data: \(leaked)")
    }

    @Test func dryRunShowsValuesOnlyWhenAsked() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let outcome = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--dry-run", "--show-values"])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(outcome.stdoutText.contains("CANARYPN^ALPHA^FAKE"))
        #expect(outcome.stdoutText.contains("CANARY-PID-0001"))
        #expect(!Canaries.found(in: outcome.stdoutText).isEmpty)

        let withoutDryRun = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", sandbox.path("OUT"),
                                                          "--recipient", Sandbox.recipientA, "--show-values"])
        #expect(withoutDryRun.status == 2)
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT")))
    }
}

/// `--help` lists every option and exits 0.
@Suite struct HelpTests {
    static let deidentifyOptions = [
        "--output", "-o", "--keep-layout", "--overwrite", "--jobs", "-j", "--quiet", "-q",
        "--recipient", "--cipher", "aes256", "3des", "--key-transport", "pkcs1v15", "oaep", "--allow-weak-keys",
        "--retain-safe-private", "--retain-uids", "--retain-device-identity", "--retain-institution-identity",
        "--retain-patient-characteristics", "--retain-full-dates", "--retain-modified-dates", "--clean-descriptors",
        "--clean-structured-content", "--clean-graphics", "--secret", "--lookup-table", "--audit-log",
        "--no-audit-log", "--allow-repeat", "--dry-run", "--show-values", "--help",
        "--clean-pixel-data", "--pixel-rules", "--quarantine", "--accept-uncleaned-pixels",
        "--files-from", "--files-from0", "--plan", "--parts", "--part", "--merge",
        "Exit status: 0", "<input>",
    ]

    static let reidentifyOptions = [
        "--output", "-o", "--keep-layout", "--overwrite", "--jobs", "-j", "--quiet", "-q",
        "--key", "--certificate", "--passphrase-env", "--passphrase-file", "--verify", "--only", "--help",
        "--files-from", "--files-from0", "Exit status: 0", "<input>",
    ]

    @Test(arguments: [(Tool.deidentify, deidentifyOptions), (Tool.reidentify, reidentifyOptions)])
    func helpListsEveryOption(_ tool: Tool, _ options: [String]) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let outcome = try sandbox.run(tool, ["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutText.hasPrefix("OVERVIEW: "), "\(outcome.stdoutText)")
        #expect(outcome.stdoutText.contains("USAGE: \(tool.rawValue) "))
        for option in options {
            #expect(outcome.stdoutText.contains(option), "\(tool.rawValue) --help does not mention \(option)")
        }
        #expect(outcome.stderrText.isEmpty)
        #expect(Sandbox.files(under: sandbox.root.path).isEmpty, "--help wrote something")
    }
}

/// What the tools print must not carry the patient data they remove.
@Suite struct PrintedPHITests {
    @Test func printsNoCanaryWhileDeidentifyingAndReidentifyingEveryFixture() throws {
        #expect(Canaries.textValues.count > 100)
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fixtures = FixtureFiles.dicom.map(Sandbox.fixture)
        // Every file given by name, so messages name each one, plus one truncated and one repeated input.
        let truncated = sandbox.path("broken.dcm")
        try Data(try FileIO.readAll(path: Sandbox.fixture("ct-explicit-le.dcm")).prefix(300)).write(to: URL(fileURLWithPath: truncated))
        let deid = try sandbox.run(.deidentify, fixtures + [truncated, "--output", sandbox.path("OUT"),
                                                            "--recipient", Sandbox.recipientA])
        #expect(deid.status == 1, "\(deid.stderrText)")
        let printed = deid.stdoutText + deid.stderrText
        #expect(!printed.isEmpty)
        #expect(Canaries.found(in: printed).isEmpty, "dicom-deidentify printed: \(Canaries.found(in: printed))")
        let audit = try String(contentsOfFile: sandbox.path("OUT-audit.jsonl"), encoding: .utf8)
        #expect(Canaries.found(in: audit).isEmpty, "the audit log holds: \(Canaries.found(in: audit))")

        let verify = try sandbox.run(.reidentify, [sandbox.path("OUT"), "--verify", "--key", Sandbox.keyA])
        #expect(verify.status == 0)
        let reid = try sandbox.run(.reidentify, [sandbox.path("OUT"), "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(reid.status == 0)
        let reidPrinted = verify.stdoutText + verify.stderrText + reid.stdoutText + reid.stderrText
        #expect(Canaries.found(in: reidPrinted).isEmpty, "dicom-reidentify printed: \(Canaries.found(in: reidPrinted))")
    }
}
