import DICOMTestSupport
import Diagnostics
import Foundation
import Testing

/// How the tools answer a wrong command line: ArgumentParser's errors first, conflicting options refused, `--version`.
@Suite struct UsageTests {
    /// Every tool answers `--version` with the one Toolkit.version, and `--help` names it.
    @Test(arguments: Tool.allCases)
    func printsTheToolkitVersion(_ tool: Tool) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let outcome = try sandbox.run(tool, ["--version"], withReason: false)
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(outcome.stdoutText == "\(Toolkit.version)\n")
        let help = try sandbox.run(tool, ["--help"], withReason: false)
        #expect(help.status == 0, "\(help.stderrText)")
        #expect(help.stdoutText.contains("--version"), "\(help.stdoutText)")
    }

    /// Options that name files complete to files, and those that name folders to folders (zsh's `_files`,
    /// `_files -/`), in the completion script every tool generates.
    @Test func pathOptionsCompleteToPaths() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let expected: [(Tool, [String])] = [
            (.deidentify, ["'{--output,-o}'[Folder for the output files (created if missing).]:dir:_files -/'", "]:cert:_files'",
                           "--secret[", "--profile[", "--private-dispositions["]),
            (.reidentify, ["--key[", "--certificate[", "--audit-log[", "--passphrase-file["]),
            (.review, ["--originals[", "--audit-log[", "--key["]),
            (.mapping, ["--db[", "--keys-from["]),
            (.bench, ["--recipient[", "--secret["]),
        ]
        for (tool, options) in expected {
            let outcome = try sandbox.run(tool, ["--generate-completion-script", "zsh"], withReason: false)
            #expect(outcome.status == 0, "\(outcome.stderrText)")
            let lines = outcome.stdoutText.split(separator: "\n")
            for option in options {
                let line = lines.first { $0.contains(option) }
                #expect(line?.contains(":_files") == true, "\(tool.rawValue) \(option): \(line ?? "missing")")
            }
        }
    }

    /// ArgumentParser validates before it looks for unknown arguments: the tools' own rules must not hide a typo.
    @Test func reportsAnUnknownOptionBeforeTheToolsOwnRules() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let deid = try sandbox.run(.deidentify, ["--recepient", Sandbox.recipientA, Sandbox.fixture("ct-explicit-le.dcm"),
                                                 "--output", sandbox.path("OUT")])
        #expect(deid.status == 2)
        #expect(deid.stderrText.hasPrefix("Error: Unknown option '--recepient'"), "\(deid.stderrText)")
        let reid = try sandbox.run(.reidentify, ["--key", Sandbox.keyA, "--verfy", Sandbox.fixtures])
        #expect(reid.status == 2)
        #expect(reid.stderrText.hasPrefix("Error: Unknown option '--verfy'"), "\(reid.stderrText)")
        let review = try sandbox.run(.review, ["check", "--kee", Sandbox.keyA, Sandbox.fixtures])
        #expect(review.status == 2)
        #expect(review.stderrText.hasPrefix("Error: Unknown option '--kee'"), "\(review.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT")))
    }

    /// The tools' own rules still apply, with ArgumentParser's layout and exit status 2.
    @Test func reportsTheToolsOwnRulesAsUsageErrors() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let outcome = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", sandbox.path("OUT")])
        #expect(outcome.status == 2)
        #expect(outcome.stderrLines.first == "Error: give at least one --recipient certificate")
        #expect(outcome.stderrLines.dropFirst().first?.hasPrefix("Usage: dicom-deidentify ") == true, "\(outcome.stderrText)")
        let noInput = try sandbox.run(.review, ["inventory", "--report", sandbox.path("R")])
        #expect(noInput.status == 2)
        #expect(noInput.stderrLines.first == "Error: give at least one input file or folder")
        let dates = try sandbox.run(.deidentify, [Sandbox.fixtures, "--dry-run", "--retain-full-dates", "--retain-modified-dates"])
        #expect(dates.status == 2)
        #expect(dates.stderrLines.first == "Error: --retain-full-dates and --retain-modified-dates exclude each other")
    }

    @Test func refusesConflictingOptions() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let audit = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", sandbox.path("OUT"),
                                                  "--recipient", Sandbox.recipientA, "--no-audit-log", "--audit-log", sandbox.path("A")])
        #expect(audit.status == 2)
        #expect(audit.stderrLines.first == "Error: --no-audit-log and --audit-log exclude each other")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT")))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("A")))
        let verify = try sandbox.run(.reidentify, [Sandbox.fixtures, "--verify", "--key", Sandbox.keyA, "--output", sandbox.path("R")])
        #expect(verify.status == 2)
        #expect(verify.stderrLines.first == "Error: --verify writes nothing: it excludes --output, --overwrite and --keep-layout")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("R")))
    }
}
