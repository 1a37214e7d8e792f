import DICOMTestSupport
import Foundation
import Testing

/// `--allow-weak-keys` end to end: a 1024-bit recipient is refused without it, and with it every file is
/// written and opens with the matching key (the flag used to pass the startup check, then every
/// file failed the per-file check).
struct WeakKeyTests {
    static let weakCertificate = Sandbox.key("test-weak-1024.crt")
    static let weakKey = Sandbox.key("test-weak-1024.key")

    @Test func weakRecipientIsRefusedWithoutTheFlag() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [Sandbox.fixture("ct-explicit-le.dcm"), "--output", out, "--recipient", Self.weakCertificate])
        #expect(run.status == 2, "\(run.stderrText)")
        #expect(run.stderrText.contains("2048"), "\(run.stderrText)")
        #expect(Sandbox.files(under: out).isEmpty)
    }

    @Test func weakRecipientIsUsedWithTheFlag() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let out = sandbox.path("OUT")
        let run = try sandbox.run(.deidentify, [RepositoryPaths.fixtures.path, "--output", out, "--recipient", Self.weakCertificate,
                                                "--allow-weak-keys"])
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(Sandbox.files(under: out).count == FixtureFiles.dicom.count)
        let back = try sandbox.run(.reidentify, [out, "--output", sandbox.path("R"), "--key", Self.weakKey])
        #expect(back.status == 0, "\(back.stderrText)")
        #expect(Sandbox.files(under: sandbox.path("R")).count == FixtureFiles.dicom.count)
    }
}
