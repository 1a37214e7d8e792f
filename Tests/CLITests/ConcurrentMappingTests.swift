import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Foundation
import Testing

/// Four `dicom-deidentify` processes at once, running the RICORD script with one shared `--mapping-db`
/// (SQLite file or PostgreSQL URL), on overlapping subsets of 500 files from 120 synthetic patients: every
/// patient gets one `@integer` number whichever process numbered it, the numbers are 1...120, and a second
/// run with the same database gives the same numbers.
@Suite(.serialized)
struct ConcurrentMappingTests {
    static let ricord = RepositoryPaths.root.appendingPathComponent("Profiles/ricord/ricord.script").path
    static let fileCount = 500
    static let patientCount = 120
    static let processCount = 4
    static let siteID = "SITE-CONC"

    enum Database: String, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }
        static let enabled: [Database] =
            ProcessInfo.processInfo.environment["DICOM_DEID_TEST_POSTGRES_URL"].map { !$0.isEmpty } == true
                || ProcessInfo.processInfo.environment["CI"] == "true" ? [.sqlite, .postgres] : [.sqlite]
    }

    @Test(arguments: Database.enabled)
    func concurrentRunsShareOneNumberPerPatient(_ database: Database) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let inputs = try Self.makeInputs(in: sandbox)
        let (script, location) = try Self.setUp(database, in: sandbox)
        let secret = try sandbox.makeSecret()

        // Run 1: process k takes the files whose index is k or k + 1 modulo 4, so every file is de-identified
        // by two processes at about the same time and every patient is numbered by several processes.
        let first = try Self.runConcurrently(inputs: inputs, script: script, location: location, secret: secret,
                                             sandbox: sandbox, run: "first") { index, process in
            index % Self.processCount == process || index % Self.processCount == (process + 1) % Self.processCount
        }
        let numbers = try #require(first)
        #expect(numbers.count == Self.patientCount, "every patient numbered")
        #expect(numbers.values.sorted() == Array(1...Self.patientCount), "numbers are exactly 1...\(Self.patientCount), none shared")

        // Run 2, the same database, other subsets (contiguous quarters, overlapping by 25 files): same numbers.
        let quarter = Self.fileCount / Self.processCount
        let second = try Self.runConcurrently(inputs: inputs, script: script, location: location, secret: secret,
                                              sandbox: sandbox, run: "second") { index, process in
            index >= process * quarter - 25 && index < (process + 1) * quarter
        }
        #expect(second == numbers, "a second run gives every patient the number the first gave it")

        // The recipient key restores the original Patient ID next to the number (first process of run 1).
        let restored = sandbox.path("restored")
        let back = try sandbox.run(.reidentify, [sandbox.path("first-out-0"), "--output", restored, "--key", Sandbox.keyA,
                                                 "--jobs", "2", "--quiet"])
        #expect(back.status == 0, "\(back.stderrText)")
        var checked = 0
        for name in Sandbox.files(under: restored) {
            let file = try Part10Reader.read(contentsOf: restored + "/" + name)
            let patient = try #require(file.dataSet[.patientID]?.string()?.trimmingCharacters(in: .whitespaces))
            #expect(numbers[patient] != nil, "restored Patient ID \(patient) is one of the originals")
            checked += 1
        }
        #expect(checked == 2 * Self.fileCount / Self.processCount)
    }

    // MARK: - Set-up

    /// 500 files of `sc-utf8-explicit-le.dcm` with synthetic patients `FAKE-CONC-000`...`FAKE-CONC-119`
    /// (file i belongs to patient i mod 120), each with its own SOP Instance UID and one study per patient
    /// (or `studiesPerPatient`: file i is in the patient's study (i / patients) mod studiesPerPatient).
    /// Returns (path, original Patient ID) in index order.
    static func makeInputs(in sandbox: Sandbox, count: Int = fileCount, patients: Int = patientCount,
                           studiesPerPatient: Int = 1) throws -> [(path: String, patientID: String)] {
        let folder = sandbox.path("in")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let template = try Part10Reader.read(contentsOf: Sandbox.fixture("sc-utf8-explicit-le.dcm"))
        var inputs: [(path: String, patientID: String)] = []
        for index in 0..<count {
            let patient = index % patients
            let study = patient * studiesPerPatient + (index / patients) % studiesPerPatient
            let patientID = String(format: "FAKE-CONC-%03d", patient)
            let instance = "2.25.\(900_000_000 + index)"
            var file = template
            file.dataSet.set(DataElement(tag: .patientID, vr: .LO, string: patientID))
            file.dataSet.set(DataElement(tag: .patientName, vr: .PN, string: "FAKE^CONC\(patient)"))
            file.dataSet.set(DataElement(tag: .studyInstanceUID, vr: .UI, string: "2.25.\(800_000_000 + study)"))
            file.dataSet.set(DataElement(tag: .sopInstanceUID, vr: .UI, string: instance))
            file.meta.set(DataElement(tag: Tag(0x0002, 0x0003), vr: .UI, string: instance))
            let path = folder + String(format: "/%03d.dcm", index)
            try Data(Part10Writer.encode(file)).write(to: URL(fileURLWithPath: path))
            inputs.append((path, patientID))
        }
        return inputs
    }

    /// The script and `--mapping-db` for `database`. PostgreSQL: the database outlives the test, so the
    /// script is a copy whose `@integer` type is new (`ptid-XXXXXXXX`), which starts numbering at 1.
    static func setUp(_ database: Database, in sandbox: Sandbox) throws -> (script: String, location: String) {
        switch database {
        case .sqlite:
            return (ricord, sandbox.path("mapping.sqlite"))
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["DICOM_DEID_TEST_POSTGRES_URL"], !url.isEmpty else {
                throw SandboxError("CI=true but DICOM_DEID_TEST_POSTGRES_URL is unset; start one with Scripts/start-postgres.sh")
            }
            let text = try String(contentsOfFile: ricord, encoding: .utf8)
            let type = "ptid-\(UUID().uuidString.prefix(8))"
            let renamed = text.replacingOccurrences(of: "\"ptid\"", with: "\"\(type)\"")
            try #require(renamed != text, "the RICORD script numbers PatientID under type \"ptid\"")
            let script = sandbox.path("ricord-\(type).script")
            try renamed.write(toFile: script, atomically: true, encoding: .utf8)
            return (script, url)
        }
    }

    // MARK: - Running

    /// Starts one `dicom-deidentify` per process index at once, each on the inputs `take` gives it, into
    /// `<run>-out-<k>` with the audit log `<run>-audit-<k>.jsonl`; waits for all, then returns original
    /// Patient ID -> number read from the outputs (nil after a failed run, with the failure recorded).
    static func runConcurrently(inputs: [(path: String, patientID: String)], script: String, location: String,
                                secret: String, sandbox: Sandbox, run: String,
                                take: (Int, Int) -> Bool) throws -> [String: Int]? {
        var processes: [(process: Process, errors: String, output: String, audit: String, count: Int)] = []
        for k in 0..<processCount {
            let subset = inputs.indices.filter { take($0, k) }.map { inputs[$0].path }
            let output = sandbox.path("\(run)-out-\(k)")
            let audit = sandbox.path("\(run)-audit-\(k).jsonl")
            let errors = sandbox.path("\(run)-\(k).err")
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            let process = Process()
            process.executableURL = try Tool.deidentify.executable.executable
            process.arguments = subset + ["--output", output, "--recipient", Sandbox.recipientA, "--secret", secret,
                                          "--ctp-script", script, "--ctp-param", "SITEID=\(siteID)",
                                          "--ctp-param", "UIDROOT=1.2.826.0.1.3680043.10.999",
                                          "--mapping-db", location, "--audit-log", audit, "--jobs", "2", "--quiet"]
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_CONFIG_HOME"] = sandbox.path("config")
            process.environment = environment
            process.currentDirectoryURL = sandbox.root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
            processes.append((process, errors, output, audit, subset.count))
        }
        for entry in processes { try entry.process.run() }
        for entry in processes { entry.process.waitUntilExit() }

        let byPath = Dictionary(inputs.map { ($0.path, $0.patientID) }, uniquingKeysWith: { first, _ in first })
        var numbers: [String: Int] = [:]
        var failed = false
        for (k, entry) in processes.enumerated() {
            let stderr = (try? String(contentsOfFile: entry.errors, encoding: .utf8)) ?? ""
            guard entry.process.terminationStatus == 0 else {
                Issue.record("\(run) run, process \(k) exited \(entry.process.terminationStatus): \(stderr)")
                failed = true
                continue
            }
            let written = try auditedOutputs(entry.audit)
            #expect(written.count == entry.count, "\(run) run, process \(k): \(written.count) of \(entry.count) files written")
            for (input, output) in written {
                let original = try #require(byPath[input], "audit log names an unknown input \(input)")
                let file = try Part10Reader.read(contentsOf: output)
                let patientID = file.dataSet[.patientID]?.string()?.trimmingCharacters(in: .whitespaces) ?? ""
                let number = try #require(Self.number(in: patientID), "\(output): Patient ID '\(patientID)' is not \(siteID)-NNNNNN")
                #expect(file.dataSet[.patientName]?.string()?.trimmingCharacters(in: .whitespaces) == patientID,
                        "Patient Name carries the same number")
                if let previous = numbers[original], previous != number {
                    Issue.record("\(original) got two numbers: \(previous) and \(number)")
                }
                numbers[original] = number
            }
        }
        return failed ? nil : numbers
    }

    /// (input, output) of every written record of a JSON-lines audit log.
    static func auditedOutputs(_ path: String) throws -> [(input: String, output: String)] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard object?["status"] as? String == "written",
                  let input = object?["input"] as? String, let output = object?["output"] as? String else { return nil }
            return (input, output)
        }
    }

    /// The number in `SITE-CONC-000042`: six digits after the site ID and a hyphen.
    static func number(in patientID: String) -> Int? {
        let prefix = siteID + "-"
        guard patientID.hasPrefix(prefix) else { return nil }
        let digits = patientID.dropFirst(prefix.count)
        guard digits.count == 6, digits.allSatisfy(\.isASCII) else { return nil }
        return Int(digits)
    }
}
