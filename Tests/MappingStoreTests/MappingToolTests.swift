import DICOMTestSupport
import Diagnostics
import Foundation
import Testing

/// The `dicom-mapping` executable: output formats and exit statuses.
@Suite struct MappingToolTests {
    @Test func assignPrintsPaddedNumbersAndDumpListsThem() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let tool = ExternalTool(executable: try mappingTool())
        let db = folder.url.appendingPathComponent("m.sqlite").path
        let assign = try tool.run(["assign", "--db", db, "--create", "--type", "ptid", "--width", "4", "FAKE-A", "FAKE-B", "FAKE-A"])
        #expect(assign.status == 0, "\(assign.stderrText)")
        #expect(assign.stdoutText == "0001\n0002\n0001\n")
        let fromStdin = try tool.run(["assign", "--db", db, "--type", "study", "--keys-from", "-"],
                                     stdin: Data("FAKE-S1\nFAKE-S2\n".utf8))
        #expect(fromStdin.stdoutText == "1\n2\n")
        let dump = try tool.run(["dump", "--db", db])
        #expect(dump.status == 0)
        #expect(dump.stdoutText == "ptid\tFAKE-A\t1\nptid\tFAKE-B\t2\nstudy\tFAKE-S1\t1\nstudy\tFAKE-S2\t2\n")
    }

    @Test func reportsErrorsInOneLineWithStatus() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let tool = ExternalTool(executable: try mappingTool())
        let usage = try tool.run(["assign", "--type", "ptid", "FAKE-A"])
        #expect(usage.status == 2)
        #expect(usage.stderrText.contains("Usage: dicom-mapping assign"), "\(usage.stderrText)")
        #expect(try tool.run(["frobnicate"]).status == 2)
        let corrupt = folder.url.appendingPathComponent("corrupt.sqlite")
        try Data(repeating: 0x20, count: 4096).write(to: corrupt)
        let failed = try tool.run(["assign", "--db", corrupt.path, "--type", "ptid", "FAKE-SECRET-ID"])
        #expect(failed.status == 1)
        #expect(failed.stderrText.hasPrefix("dicom-mapping: \(corrupt.path): not an SQLite database"))
        #expect(failed.stderrText.split(separator: "\n").count == 1)
        #expect(!failed.stderrText.contains("FAKE-SECRET-ID"))
    }

    @Test func refusesAMissingDatabaseUnlessAskedToCreateIt() throws {
        let folder = try TemporaryDirectory(prefix: "mapping")
        defer { folder.remove() }
        let tool = ExternalTool(executable: try mappingTool())
        let typo = folder.url.appendingPathComponent("typo.sqlite").path
        let dump = try tool.run(["dump", "--db", typo])
        #expect(dump.status == 1)
        #expect(dump.stderrText == "dicom-mapping: \(typo): no such database\n")
        let assign = try tool.run(["assign", "--db", typo, "--type", "ptid", "FAKE-A"])
        #expect(assign.status == 1)
        #expect(assign.stderrText.contains("give --create"))
        #expect(!FileManager.default.fileExists(atPath: typo), "a refused run created the database")
        let created = try tool.run(["assign", "--db", typo, "--create", "--type", "ptid", "FAKE-A"])
        #expect(created.status == 0, "\(created.stderrText)")
        #expect(try tool.run(["assign", "--db", typo, "--type", "ptid", "FAKE-B"]).stdoutText == "2\n")
        #expect(try tool.run(["dump", "--db", typo]).status == 0)
    }

    @Test func printsTheToolkitVersion() throws {
        let result = try ExternalTool(executable: try mappingTool()).run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdoutText == "\(Toolkit.version)\n")
    }
}
