import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// `--files-from` and the scale-out steps (`--plan DIR --parts N`, `--part K`, `--merge`): the parts together give
/// what one process gives, refuse what no longer matches the plan, resume after a kill, and account for every input.
@Suite struct ScaleOutCLITests {
    /// A corpus with every case the plan decides: the CT instance in five transfer syntaxes (one SOP Instance UID,
    /// five contents), a byte-identical copy of one of them in another folder, and the other fixtures.
    static func makeCorpus(in sandbox: Sandbox) throws -> String {
        let corpus = sandbox.path("corpus")
        let manager = FileManager.default
        try manager.createDirectory(atPath: corpus + "/site-a", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: corpus + "/site-b/nested", withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: Sandbox.fixtures) where name.hasSuffix(".dcm") {
            try manager.copyItem(atPath: Sandbox.fixture(name), toPath: corpus + "/site-a/" + name)
        }
        try manager.copyItem(atPath: Sandbox.fixture("ct-explicit-le.dcm"), toPath: corpus + "/site-b/nested/copy.dcm")
        return corpus
    }

    /// The output files under `folder` by name, each data set without the Encrypted Attributes Sequence (its
    /// content key is fresh on every run), encoded, with the file meta.
    static func comparableOutputs(_ folder: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for name in Sandbox.files(under: folder) {
            var file = try Part10Reader.read(contentsOf: folder + "/" + name)
            _ = file.dataSet.remove(Tag(0x0400, 0x0500))
            result[name] = try Part10Writer.encode(file)
        }
        return result
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func runParts(_ sandbox: Sandbox, plan: String, parts: Int, output: String, secret: String) throws {
        for part in 0..<parts {
            let outcome = try sandbox.run(.deidentify, ["--plan", plan, "--part", "\(part)", "--output", output,
                                                       "--recipient", Sandbox.recipientA, "--secret", secret, "-q"])
            #expect(outcome.status == 0, "part \(part): \(outcome.stderrText)")
        }
    }

    @Test func filesFromTakesAListAStandardInputListAndANULSeparatedList() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let inputs = ["ct-explicit-le.dcm", "mr-explicit-le.dcm", "sr-basic-text-explicit-le.dcm"].map(Sandbox.fixture)
        try sandbox.deidentify(inputs, into: sandbox.path("ARGS"), ["--secret", secret])
        let expected = try Self.comparableOutputs(sandbox.path("ARGS"))
        #expect(expected.count == 3)

        try Data((inputs.joined(separator: "\n") + "\n\n").utf8).write(to: URL(fileURLWithPath: sandbox.path("list.txt")))
        try sandbox.deidentify([], into: sandbox.path("LIST"), ["--secret", secret, "--files-from", sandbox.path("list.txt")])
        #expect(try Self.comparableOutputs(sandbox.path("LIST")) == expected)

        try Data(inputs.map { $0 + "\0" }.joined().utf8).write(to: URL(fileURLWithPath: sandbox.path("list0")))
        try sandbox.deidentify([], into: sandbox.path("LIST0"), ["--secret", secret, "--files-from0", sandbox.path("list0")])
        #expect(try Self.comparableOutputs(sandbox.path("LIST0")) == expected)

        let piped = try Tool.deidentify.executable.run(
            ["--files-from", "-", "--output", sandbox.path("STDIN"), "--recipient", Sandbox.recipientA, "--secret", secret],
            stdin: Data(inputs.joined(separator: "\n").utf8), environment: ["XDG_CONFIG_HOME": sandbox.path("config")],
            directory: sandbox.root)
        #expect(piped.status == 0, "\(piped.stderrText)")
        #expect(try Self.comparableOutputs(sandbox.path("STDIN")) == expected)
    }

    @Test func aMissingListOrAMissingListedFileIsOneLineAndNothingIsWritten() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let missingList = try sandbox.run(.deidentify, ["--files-from", sandbox.path("nope.txt"), "--output", sandbox.path("OUT"),
                                                        "--recipient", Sandbox.recipientA])
        #expect(missingList.status == 2)
        #expect(missingList.stderrLines.count == 1 && missingList.stderrText.contains("nope.txt"), "\(missingList.stderrText)")

        try Data("\(Sandbox.fixture("ct-explicit-le.dcm"))\n\(sandbox.path("gone.dcm"))\n".utf8)
            .write(to: URL(fileURLWithPath: sandbox.path("list.txt")))
        let missingFile = try sandbox.run(.deidentify, ["--files-from", sandbox.path("list.txt"), "--output", sandbox.path("OUT"),
                                                        "--recipient", Sandbox.recipientA])
        #expect(missingFile.status == 2)
        #expect(missingFile.stderrLines.count == 1, "\(missingFile.stderrText)")
        #expect(missingFile.stderrText.contains("line 2") && missingFile.stderrText.contains("gone.dcm"), "\(missingFile.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("OUT")).isEmpty)
    }

    @Test func thePlanIsTheSameForTheSameInputsAndParts() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let corpus = try Self.makeCorpus(in: sandbox)
        for name in ["P1", "P2"] {
            let outcome = try sandbox.run(.deidentify, [corpus, "--plan", sandbox.path(name), "--parts", "3", "--secret", secret, "--jobs", name == "P1" ? "1" : "4"])
            #expect(outcome.status == 0, "\(outcome.stderrText)")
        }
        let first = try Data(contentsOf: URL(fileURLWithPath: sandbox.path("P1/plan.json")))
        #expect(first == (try Data(contentsOf: URL(fileURLWithPath: sandbox.path("P2/plan.json")))))
        #expect(Sandbox.files(under: sandbox.path("P1")) == ["part-0.list", "part-1.list", "part-2.list", "plan.json"])
        // The plan never holds the secret, only its fingerprint; and a plan folder is not planned into twice.
        #expect(!String(decoding: first, as: UTF8.self).contains("test-only secret"))
        let again = try sandbox.run(.deidentify, [corpus, "--plan", sandbox.path("P1"), "--parts", "3", "--secret", secret])
        #expect(again.status == 2 && again.stderrLines.count == 1, "\(again.stderrText)")
    }

    /// The union of the parts' outputs is, byte for byte outside the Encrypted Attributes, the output of one
    /// process, and the merged audit log is that process's log.
    @Test func thePartsTogetherGiveWhatOneProcessGives() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let corpus = try Self.makeCorpus(in: sandbox)
        try sandbox.deidentify([corpus], into: sandbox.path("ONE"), ["--secret", secret])

        let plan = sandbox.path("PLAN")
        let planned = try sandbox.run(.deidentify, [corpus, "--plan", plan, "--parts", "3", "--secret", secret])
        #expect(planned.status == 0, "\(planned.stderrText)")
        #expect(planned.stderrText.contains("1 identical copies"), "\(planned.stderrText)")
        try runParts(sandbox, plan: plan, parts: 3, output: sandbox.path("MANY"), secret: secret)
        let merged = try sandbox.run(.deidentify, ["--plan", plan, "--merge", "--output", sandbox.path("MANY")])
        #expect(merged.status == 0, "\(merged.stderrText)")

        let one = try Self.comparableOutputs(sandbox.path("ONE"))
        #expect(one.count >= 10)
        #expect(try Self.comparableOutputs(sandbox.path("MANY")) == one)
        let oneLog = try Self.lines(sandbox.path("ONE-audit.jsonl")).map { $0.replacingOccurrences(of: sandbox.path("ONE") + "/", with: "OUT/") }
        let manyLog = try Self.lines(sandbox.path("MANY-audit.jsonl")).map { $0.replacingOccurrences(of: sandbox.path("MANY") + "/", with: "OUT/") }
        #expect(manyLog == oneLog)
        #expect(manyLog.contains { $0.contains("\"copyOf\"") && $0.contains("site-b/nested/copy.dcm") })
        #expect(manyLog.filter { $0.contains("\"status\":\"written\"") }.count == one.count)
    }

    @Test func aPartRefusesAFileChangedSincePlanningAndAnotherSecret() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let corpus = try Self.makeCorpus(in: sandbox)
        let plan = sandbox.path("PLAN")
        #expect(try sandbox.run(.deidentify, [corpus, "--plan", plan, "--parts", "1", "--secret", secret]).status == 0)

        try Data("another secret, not the plan's, 32+ bytes long\n".utf8).write(to: URL(fileURLWithPath: sandbox.path("other")))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: sandbox.path("other"))
        let wrong = try sandbox.run(.deidentify, ["--plan", plan, "--part", "0", "--output", sandbox.path("OUT"),
                                                  "--recipient", Sandbox.recipientA, "--secret", sandbox.path("other")])
        #expect(wrong.status == 2)
        #expect(wrong.stderrLines.count == 1 && wrong.stderrText.contains("another secret"), "\(wrong.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT")))

        let changed = corpus + "/site-a/mr-explicit-le.dcm"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: changed)
        let refused = try sandbox.run(.deidentify, ["--plan", plan, "--part", "0", "--output", sandbox.path("OUT"),
                                                    "--recipient", Sandbox.recipientA, "--secret", secret])
        #expect(refused.status == 2)
        #expect(refused.stderrLines.count == 1 && refused.stderrText.contains("mr-explicit-le.dcm")
                && refused.stderrText.contains("changed since planning"), "\(refused.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT")))
    }

    @Test func theMergeFailsWhenAPartIsMissingAndWritesNothing() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let corpus = try Self.makeCorpus(in: sandbox)
        let plan = sandbox.path("PLAN")
        #expect(try sandbox.run(.deidentify, [corpus, "--plan", plan, "--parts", "2", "--secret", secret]).status == 0)
        let part = try sandbox.run(.deidentify, ["--plan", plan, "--part", "0", "--output", sandbox.path("OUT"),
                                                 "--recipient", Sandbox.recipientA, "--secret", secret])
        #expect(part.status == 0, "\(part.stderrText)")
        let merged = try sandbox.run(.deidentify, ["--plan", plan, "--merge", "--output", sandbox.path("OUT")])
        #expect(merged.status == 1)
        #expect(merged.stderrText.contains("part 1 has no audit log"), "\(merged.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT-audit.jsonl")))
    }

    /// A plan in which two parts claim the same output — an input in two parts, or an identical copy in another
    /// part than its original (an edited or concatenated plan; the planner never writes one) — is refused by every
    /// part and by the merge: one line naming the input, exit 2, nothing written.
    @Test(arguments: ["input in two parts", "copy in another part"])
    func aPlanWhereTwoPartsClaimTheSameOutputIsRefused(_ edit: String) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let corpus = try Self.makeCorpus(in: sandbox)
        let plan = sandbox.path("PLAN")
        #expect(try sandbox.run(.deidentify, [corpus, "--plan", plan, "--parts", "2", "--secret", secret]).status == 0)
        var lines = try Self.lines(plan + "/plan.json")
        let other: (String) -> String = { line in
            line.contains("\"part\":0,") ? line.replacingOccurrences(of: "\"part\":0,", with: "\"part\":1,")
                                         : line.replacingOccurrences(of: "\"part\":1,", with: "\"part\":0,")
        }
        let named: String
        if edit == "input in two parts" {
            let first = lines[1].hasSuffix(",") ? lines[1] : lines[1] + ","
            lines.insert(other(first), at: 2)
            named = try #require(first.split(separator: "\"").dropFirst().first { $0.hasPrefix(corpus) }.map(String.init))
        } else {
            let copy = try #require(lines.firstIndex { $0.contains("\"copyOf\"") })
            lines[copy] = other(lines[copy])
            named = "site-b/nested/copy.dcm"
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: plan + "/plan.json"))

        for part in 0..<2 {
            let refused = try sandbox.run(.deidentify, ["--plan", plan, "--part", "\(part)", "--output", sandbox.path("OUT"),
                                                        "--recipient", Sandbox.recipientA, "--secret", secret])
            #expect(refused.status == 2, "\(refused.stderrText)")
            #expect(refused.stderrLines.count == 1 && refused.stderrText.contains(named)
                    && refused.stderrText.contains("would both write"), "\(refused.stderrText)")
        }
        let merge = try sandbox.run(.deidentify, ["--plan", plan, "--merge", "--output", sandbox.path("OUT")])
        #expect(merge.status == 2 && merge.stderrLines.count == 1, "\(merge.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT")))
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("OUT-audit.jsonl")))
        #expect(!Sandbox.files(under: plan).contains { $0.hasSuffix("-audit.jsonl") })
    }

    /// What a kill leaves — the first records durable, later outputs placed without their records, some not made,
    /// a temporary of the dead process — is finished by running the part again: every input once, nothing doubled.
    @Test func aKilledPartRunAgainFinishesWithEveryInputOnce() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let secret = try sandbox.makeSecret()
        let corpus = try Self.makeCorpus(in: sandbox)
        try sandbox.deidentify([corpus], into: sandbox.path("ONE"), ["--secret", secret])
        let plan = sandbox.path("PLAN")
        #expect(try sandbox.run(.deidentify, [corpus, "--plan", plan, "--parts", "1", "--secret", secret]).status == 0)
        let out = sandbox.path("OUT")
        try runParts(sandbox, plan: plan, parts: 1, output: out, secret: secret)

        // The kill: the log keeps its first 3 records and half a line; of the outputs logged after them, every
        // other one is gone (not placed yet); the original's copy is not yet recorded; a dead process's temporary.
        let log = ScalePlanPaths.log(plan, part: 0)
        let records = try Self.lines(log)
        try Data((records.prefix(3).joined(separator: "\n") + "\n{\"input\":\"/half").utf8).write(to: URL(fileURLWithPath: log))
        for (index, record) in records.dropFirst(3).enumerated() where index % 2 == 0 {
            guard let range = record.range(of: "\"output\":\""), let end = record[range.upperBound...].firstIndex(of: "\"") else { continue }
            try FileManager.default.removeItem(atPath: String(record[range.upperBound..<end]))
        }
        try Data("partial".utf8).write(to: URL(fileURLWithPath: out + "/.dicom-deid-tmp-999999-abcdef"))

        try runParts(sandbox, plan: plan, parts: 1, output: out, secret: secret)
        let merged = try sandbox.run(.deidentify, ["--plan", plan, "--merge", "--output", out])
        #expect(merged.status == 0, "\(merged.stderrText)")
        #expect(try Self.comparableOutputs(out) == (try Self.comparableOutputs(sandbox.path("ONE"))))
        #expect(!Sandbox.files(under: out).contains { $0.contains(".dicom-deid-tmp-") } )
        let mergedLog = try Self.lines(sandbox.path("OUT-audit.jsonl"))
        #expect(mergedLog.count == (try Self.lines(sandbox.path("ONE-audit.jsonl"))).count)
        #expect(mergedLog.contains { $0.contains("\"copyOf\"") })

        // A third run finds nothing to do and the account still holds.
        let third = try sandbox.run(.deidentify, ["--plan", plan, "--part", "0", "--output", out,
                                                  "--recipient", Sandbox.recipientA, "--secret", secret])
        #expect(third.status == 0 && third.stderrText.contains("nothing left to do"), "\(third.stderrText)")
        #expect(try sandbox.run(.deidentify, ["--plan", plan, "--merge", "--output", out]).status == 0)
    }
}

/// The plan folder's file names, as docs/scale-out.md gives them.
enum ScalePlanPaths {
    static func log(_ plan: String, part: Int) -> String { plan + "/part-\(part)-audit.jsonl" }
}

/// The scale-out options' combinations: each wrong one is a usage error (exit 2) that writes nothing.
@Suite struct ScaleOutUsageTests {
    @Test(arguments: [
        ["--parts", "2", "IN"],
        ["--plan", "PLAN", "IN"],
        ["--plan", "PLAN", "--parts", "2", "--merge", "IN"],
        ["--plan", "PLAN", "--parts", "0", "IN"],
        ["--plan", "PLAN", "--parts", "2", "--output", "OUT", "IN"],
        ["--plan", "PLAN", "--part", "0", "--output", "OUT", "--recipient", "CERT", "IN"],
        ["--plan", "PLAN", "--part", "0", "--output", "OUT", "--recipient", "CERT", "--audit-log", "LOG"],
        ["--plan", "PLAN", "--merge"],
        ["--files-from", "LIST", "--files-from0", "LIST", "--output", "OUT", "--recipient", "CERT"],
    ])
    func aWrongCombinationIsAUsageError(_ arguments: [String]) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let resolved = arguments.map { argument -> String in
            switch argument {
            case "IN": Sandbox.fixture("ct-explicit-le.dcm")
            case "CERT": Sandbox.recipientA
            case "PLAN", "OUT", "LOG", "LIST": sandbox.path(argument)
            default: argument
            }
        }
        let outcome = try sandbox.run(.deidentify, resolved)
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderrText)")
        #expect(outcome.stderrText.hasPrefix("Error: "), "\(arguments): \(outcome.stderrText)")
        #expect(Sandbox.files(under: sandbox.root.path).isEmpty, "\(arguments) wrote something")
    }
}
