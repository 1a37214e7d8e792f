import DICOMTestSupport
import Foundation
import Testing

/// An interrupted run leaves no unfinished output (for re-identification, identified data) behind, a later
/// run removes what a killed one left, and re-identified folders are readable by their owner only.
struct InterruptedRunTests {
    static func temporaries(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".dicom-deid-tmp-") }
    }

    @Test func staleTemporariesOfDeadProcessesAreRemovedAndLiveOnesKept() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("DEID"))
        let out = sandbox.path("R")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // A process ID that is not running (the kernel's limit is below 2^22), and this test's own, which is.
        let dead = out + "/.dicom-deid-tmp-4194303-abcdef"
        let live = out + "/.dicom-deid-tmp-\(getpid())-abcdef"
        for path in [dead, live] { #expect(FileManager.default.createFile(atPath: path, contents: Data("restored".utf8))) }
        let back = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", out, "--key", Sandbox.keyA])
        #expect(back.status == 0, "\(back.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dead), "a dead run's unfinished output stays")
        #expect(FileManager.default.fileExists(atPath: live), "another running process's file was removed")
        #expect(back.stderrText.contains("removed 1 unfinished output"), "\(back.stderrText)")
    }

    @Test func reidentifiedFoldersAreOwnerOnly() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("DEID"))
        let out = sandbox.path("R")
        let back = try sandbox.run(.reidentify, [sandbox.path("DEID"), "--output", out, "--key", Sandbox.keyA])
        #expect(back.status == 0, "\(back.stderrText)")
        let file = try #require(Sandbox.files(under: out).first)
        var folder = out
        for component in file.split(separator: "/").dropLast() {
            folder += "/" + component
            let mode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
            #expect(mode == 0o700, "\(folder) is \(String(mode ?? 0, radix: 8))")
        }
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o700)
    }

    /// Many inputs, cheaply: the fixtures de-identified into DEID, then 250 hard links to each in MANY.
    /// - Returns: the MANY folder, and the de-identified files (relative to DEID).
    static func manyDeidentifiedInputs(in sandbox: Sandbox) throws -> (folder: String, files: [String]) {
        try sandbox.deidentify([RepositoryPaths.fixtures.path], into: sandbox.path("DEID"))
        let many = sandbox.path("MANY")
        try FileManager.default.createDirectory(atPath: many, withIntermediateDirectories: true)
        let files = Sandbox.files(under: sandbox.path("DEID"))
        for copy in 0..<250 {
            for (index, file) in files.enumerated() {
                try FileManager.default.linkItem(atPath: sandbox.path("DEID") + "/" + file, toPath: many + "/\(copy)-\(index).dcm")
            }
        }
        return (many, files)
    }

    @Test func sigtermLeavesNoUnfinishedOutput() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (many, files) = try Self.manyDeidentifiedInputs(in: sandbox)
        let out = sandbox.path("R")
        let process = Process()
        process.executableURL = try Tool.reidentify.executable.executable
        process.arguments = [many, "--output", out, "--key", Sandbox.keyA, "--reason", "interrupt test", "--jobs", "2", "--quiet"]
        process.environment = ["XDG_CONFIG_HOME": sandbox.path("config")]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Interrupt once outputs are being written.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, Sandbox.files(under: out).count < 20, process.isRunning { usleep(2_000) }
        // A run that ended before the signal would test nothing: that is a failure, not a pass.
        try #require(process.isRunning, "the run ended before it could be interrupted (status \(process.terminationStatus))")
        process.terminate()
        process.waitUntilExit()
        #expect(Self.temporaries(in: out).isEmpty, "left: \(Self.temporaries(in: out))")
        #expect(process.terminationReason == .uncaughtSignal, "ended by the signal, not normally")
        #expect(Sandbox.files(under: out).count < files.count * 250, "the run was interrupted before the end")
    }

    /// Ctrl-C while restoring: one line saying so, no error for the outputs whose temporaries the handler
    /// removed, nothing unfinished left (the lock file included).
    @Test func ctrlCStopsQuietlyWithOneLine() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let (many, _) = try Self.manyDeidentifiedInputs(in: sandbox)
        let out = sandbox.path("R")
        let errors = sandbox.path("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = try Tool.reidentify.executable.executable
        process.arguments = [many, "--output", out, "--key", Sandbox.keyA, "--reason", "interrupt test", "--jobs", "2", "--quiet"]
        process.environment = ["XDG_CONFIG_HOME": sandbox.path("config")]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, Sandbox.files(under: out).count < 20, process.isRunning { usleep(2_000) }
        try #require(process.isRunning, "the run ended before it could be interrupted (status \(process.terminationStatus))")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let lines = try String(contentsOfFile: errors, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Self.temporaries(in: out).isEmpty, "left: \(Self.temporaries(in: out))")
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.hasPrefix("interrupted: ") == true, "\(lines)")
        #expect(!lines.contains { $0.contains("cannot move the output into place") })
    }
}
