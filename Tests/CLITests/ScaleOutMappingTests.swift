import DICOMCodec
import DICOMCore
import DICOMDictionary
import DICOMTestSupport
import Foundation
import Testing

/// The parts of a plan, run at once with RICORD's script (`@integer` patient numbers) and one shared mapping
/// database (a SQLite file, and PostgreSQL when `DICOM_DEID_TEST_POSTGRES_URL` is set, required under CI=true):
/// every patient gets exactly one number, the numbers are 1...P without gaps or doubles, although a patient's
/// studies are in different parts. Which number a patient gets depends on which part reached the database
/// first (docs/scale-out.md), so only the set of numbers is checked, not who got which.
@Suite(.serialized)
struct ScaleOutMappingTests {
    static let patients = 42
    static let studiesPerPatient = 2
    static let files = 168
    static let parts = 4

    @Test(arguments: ConcurrentMappingTests.Database.enabled)
    func partsRunAtOnceGiveEveryPatientOneNumberFromOneToP(_ database: ConcurrentMappingTests.Database) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let inputs = try ConcurrentMappingTests.makeInputs(in: sandbox, count: Self.files, patients: Self.patients,
                                                           studiesPerPatient: Self.studiesPerPatient)
        let (script, location) = try ConcurrentMappingTests.setUp(database, in: sandbox)
        let secret = try sandbox.makeSecret()
        let list = sandbox.path("list.txt")
        try Data(inputs.map { $0.path + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: list))
        let plan = sandbox.path("PLAN")
        let planned = try sandbox.run(.deidentify, ["--files-from", list, "--plan", plan, "--parts", "\(Self.parts)", "--secret", secret])
        #expect(planned.status == 0, "\(planned.stderrText)")

        // The plan splits patients: their two studies may go to different parts, which then number them at once.
        let patientOf = Dictionary(uniqueKeysWithValues: inputs.map { ($0.path, $0.patientID) })
        var partsOfPatient: [String: Set<Int>] = [:]
        for part in 0..<Self.parts {
            for path in try ScaleOutCLITests.lines(plan + "/part-\(part).list") { partsOfPatient[patientOf[path] ?? "", default: []].insert(part) }
        }
        let split = partsOfPatient.values.count { $0.count > 1 }
        try #require(split >= Self.patients / 4, "only \(split) patients have studies in two parts")

        var processes: [(process: Process, errors: String)] = []
        for part in 0..<Self.parts {
            let errors = sandbox.path("part-\(part).err")
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            let process = Process()
            process.executableURL = try Tool.deidentify.executable.executable
            process.arguments = ["--plan", plan, "--part", "\(part)", "--output", sandbox.path("OUT/part-\(part)"),
                                 "--recipient", Sandbox.recipientA, "--secret", secret,
                                 "--ctp-script", script, "--ctp-param", "SITEID=\(ConcurrentMappingTests.siteID)",
                                 "--ctp-param", "UIDROOT=1.2.826.0.1.3680043.10.999",
                                 "--mapping-db", location, "--jobs", "2", "--quiet"]
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_CONFIG_HOME"] = sandbox.path("config")
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
            processes.append((process, errors))
        }
        for entry in processes { try entry.process.run() }
        for entry in processes { entry.process.waitUntilExit() }
        for (part, entry) in processes.enumerated() {
            #expect(entry.process.terminationStatus == 0,
                    "part \(part): \((try? String(contentsOfFile: entry.errors, encoding: .utf8)) ?? "")")
        }
        let merged = try sandbox.run(.deidentify, ["--plan", plan, "--merge", "--output", sandbox.path("OUT")])
        #expect(merged.status == 0, "\(merged.stderrText)")

        // Every written output: its patient's number, the same in every file of that patient.
        var numbers: [String: Int] = [:]
        let written = try ConcurrentMappingTests.auditedOutputs(sandbox.path("OUT-audit.jsonl"))
        #expect(written.count == Self.files)
        for (input, output) in written {
            let original = try #require(patientOf[input], "the merged log names an unknown input \(input)")
            let file = try Part10Reader.read(contentsOf: output)
            let patientID = file.dataSet[.patientID]?.string()?.trimmingCharacters(in: .whitespaces) ?? ""
            let number = try #require(ConcurrentMappingTests.number(in: patientID), "\(output): Patient ID '\(patientID)'")
            if let previous = numbers[original], previous != number {
                Issue.record("\(original) got two numbers: \(previous) and \(number)")
            }
            numbers[original] = number
        }
        #expect(numbers.count == Self.patients, "every patient numbered")
        #expect(numbers.values.sorted() == Array(1...Self.patients), "numbers are exactly 1...\(Self.patients), none shared")
    }
}
