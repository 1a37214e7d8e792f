import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// Inputs that try to make the tools write outside the output folder, or wait forever.
struct HostileInputCLITests {
    /// A minimal CT instance whose UIDs are the given strings (not checked: that is the point).
    static func instance(study: String, sopInstance: String) -> [UInt8] {
        func even(_ text: String) -> String { text.utf8.count % 2 == 1 ? text + "\0" : text }
        var b = ByteBuilder(.explicitLittle)
        b.element(DICOMCore.Tag(0x0008, 0x0016), "UI", "1.2.840.10008.5.1.4.1.1.2\0")
        b.element(DICOMCore.Tag(0x0008, 0x0018), "UI", even(sopInstance))
        b.element(DICOMCore.Tag(0x0010, 0x0010), "PN", "SAFE^NAME ")
        b.element(DICOMCore.Tag(0x0020, 0x000D), "UI", even(study))
        return ByteBuilder.part10Prefix(transferSyntaxUID: "1.2.840.10008.1.2.1") + b.bytes
    }

    @Test func uidsCannotNameAPathOutsideTheOutputFolder() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let hostile = "1.2/../../../escaped"
        try Data(Self.instance(study: hostile, sopInstance: hostile)).write(to: URL(fileURLWithPath: sandbox.path("in.dcm")))
        // --retain-uids keeps the hostile UIDs, as the re-identifier always does with restored ones.
        try sandbox.deidentify([sandbox.path("in.dcm")], into: sandbox.path("out"), ["--retain-uids"])
        let written = Sandbox.files(under: sandbox.path("out"))
        #expect(written.count == 1 && written.allSatisfy { $0.hasPrefix("invalid-uid/") }, "\(written)")
        let outcome = try sandbox.run(.reidentify, [sandbox.path("out"), "--output", sandbox.path("restored"),
                                                    "--key", Sandbox.keyA])
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        let restored = Sandbox.files(under: sandbox.path("restored"))
        #expect(restored.count == 1 && restored.allSatisfy { $0.hasPrefix("invalid-uid/") }, "\(restored)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("escaped.dcm")))
        #expect(!FileManager.default.fileExists(atPath: sandbox.root.deletingLastPathComponent().appendingPathComponent("escaped.dcm").path))
    }

    @Test func aFIFOInputIsRefusedWithoutWaiting() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let fifo = sandbox.path("pipe.dcm")
        #expect(mkfifo(fifo, 0o600) == 0)
        // `timeout` ends the run if it blocks: exit 124 would mean a hang.
        let timeout = try #require(ExternalTool.find("timeout"))
        let tool = try #require(RepositoryPaths.builtProduct("dicom-deidentify"))
        let outcome = try timeout.run(["20", tool.path, fifo, "--output", sandbox.path("out"),
                                       "--recipient", Sandbox.recipientA],
                                      environment: ["XDG_CONFIG_HOME": sandbox.path("config")])
        #expect(outcome.status == 1, "status \(outcome.status): \(outcome.stderrText)")
        #expect(outcome.stderrText.contains("not a regular file"), "\(outcome.stderrText)")
    }

    @Test func restoredFilesAreReadableByTheirOwnerOnly() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try sandbox.deidentify([Sandbox.fixture("mr-explicit-le.dcm")], into: sandbox.path("out"))
        let outcome = try sandbox.run(.reidentify, [sandbox.path("out"), "--output", sandbox.path("restored"),
                                                    "--key", Sandbox.keyA])
        #expect(outcome.status == 0)
        let file = try Sandbox.onlyFile(under: sandbox.path("restored"))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
