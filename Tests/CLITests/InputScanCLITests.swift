import DICOMTestSupport
import Foundation
import Testing

/// What the tools do with inputs they cannot use: a folder they cannot read, a folder without DICOM files.
@Suite struct InputScanCLITests {
    /// Runs `tool` without the capabilities that let root read any folder, so a mode-000 folder is unreadable
    /// whoever runs the tests.
    static func runUnprivileged(_ sandbox: Sandbox, _ tool: Tool, _ arguments: [String]) throws -> ExternalTool.Outcome {
        var arguments = arguments
        if tool == .reidentify { arguments += ["--reason", "automated test"] }
        guard getuid() == 0 else { return try sandbox.run(tool, arguments, withReason: false) }
        let setpriv = ExternalTool(executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
        return try setpriv.run(["--bounding-set=-dac_override,-dac_read_search", try tool.executable.executable.path] + arguments,
                               environment: ["XDG_CONFIG_HOME": sandbox.path("config")], directory: sandbox.root)
    }

    @Test(arguments: [Tool.deidentify, .reidentify])
    func anUnreadableFolderIsOneErrorAndTheBatchGoesOn(_ tool: Tool) throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("in")
        let locked = input + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
        if tool == .deidentify {
            try FileManager.default.copyItem(atPath: Sandbox.fixture("ct-explicit-le.dcm"), toPath: input + "/a.dcm")
            try FileManager.default.copyItem(atPath: Sandbox.fixture("mr-explicit-le.dcm"), toPath: locked + "/b.dcm")
        } else {
            try sandbox.deidentify([Sandbox.fixture("ct-explicit-le.dcm")], into: sandbox.path("DEID"))
            try FileManager.default.copyItem(atPath: sandbox.path("DEID") + "/" + Sandbox.files(under: sandbox.path("DEID"))[0],
                                             toPath: input + "/a.dcm")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked) }
        let arguments = tool == .deidentify ? [input, "--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA]
            : [input, "--output", sandbox.path("OUT"), "--key", Sandbox.keyA]
        let outcome = try Self.runUnprivileged(sandbox, tool, arguments)
        #expect(outcome.status == 1, "\(outcome.stderrText)")
        #expect(outcome.stderrLines(naming: locked) == ["error: \(locked): cannot read folder: Permission denied"], "\(outcome.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("OUT")).count == 1, "the readable file was not processed")
    }

    @Test func aFolderWithoutDICOMFilesExitsOne() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let input = sandbox.path("in")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        let empty = try sandbox.run(.deidentify, [input, "--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA])
        #expect(empty.status == 1)
        #expect(empty.stderrLines.last == "error: no file among the inputs; nothing written", "\(empty.stderrText)")
        let emptyRestore = try sandbox.run(.reidentify, [input, "--output", sandbox.path("R"), "--key", Sandbox.keyA])
        #expect(emptyRestore.status == 1)
        #expect(emptyRestore.stderrLines == ["error: no file among the inputs; nothing written"])

        try Data("not DICOM".utf8).write(to: URL(fileURLWithPath: input + "/notes.txt"))
        let text = try sandbox.run(.deidentify, [input, "--output", sandbox.path("OUT"), "--recipient", Sandbox.recipientA])
        #expect(text.status == 1)
        #expect(text.stderrLines.contains("error: no DICOM file among the inputs; nothing written"), "\(text.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("OUT")).isEmpty)
    }
}
