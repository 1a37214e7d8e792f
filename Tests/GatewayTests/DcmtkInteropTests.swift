import DICOMCodec
import DICOMCore
import DICOMTestSupport
import FileSystem
import Foundation
import Testing

/// dcmtk's echoscu and storescu against a running `dicom-gateway`: every fixture arrives in its stored transfer
/// syntax, comes out de-identified in the forward folder, and re-identifies to the data set that was sent.
@Suite(.serialized) struct DcmtkInteropTests {
    /// The fixtures sent: every top-level Part 10 fixture.
    static var fixtures: [String] {
        DirectoryWalker(root: RepositoryPaths.fixtures.path).files.filter { !$0.contains("/") && $0.hasSuffix(".dcm") }
            .map { RepositoryPaths.fixtures.appendingPathComponent($0).path }
    }

    @Test(.enabled(if: Peer.runnable(.echoscu), Comment(rawValue: Peer.skipReason(.echoscu))))
    func answersEchoFromAnAllowedCaller() throws {
        let echo = try Peer.echoscu.require()
        let gateway = try GatewayProcess()
        let outcome = try echo.run(["-aet", "ECHOSCU", "-aec", GatewayProcess.aeTitle, "127.0.0.1", String(gateway.port)], timeout: 60)
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(gateway.events("associated").count == 1)
        #expect(gateway.events("released").count == 1)
        #expect(gateway.stop() == 0)
        #expect(gateway.events("stopped").count == 1)
    }

    @Test(.enabled(if: Peer.runnable(.echoscu), Comment(rawValue: Peer.skipReason(.echoscu))))
    func rejectsUnknownCallerAndWrongCalledTitle() throws {
        let echo = try Peer.echoscu.require()
        let gateway = try GatewayProcess()
        let stranger = try echo.run(["-aet", "INTRUDER", "-aec", GatewayProcess.aeTitle, "127.0.0.1", String(gateway.port)], timeout: 60)
        #expect(stranger.status != 0)
        let wrongCalled = try echo.run(["-aet", "ECHOSCU", "-aec", "SOMEONE", "127.0.0.1", String(gateway.port)], timeout: 60)
        #expect(wrongCalled.status != 0)
        let rejected = gateway.events("rejected")
        #expect(rejected.count == 2, "\(gateway.logLines)")
        #expect(rejected.first?.contains("\"caller\":\"INTRUDER\"") == true)
        #expect(gateway.events("associated").isEmpty)
    }

    @Test(.enabled(if: Peer.runnable(.storescu), Comment(rawValue: Peer.skipReason(.storescu))))
    func storesEveryFixtureAndReidentifiesToTheSentDataSet() throws {
        let store = try Peer.storescu.require()
        let gateway = try GatewayProcess()
        let files = Self.fixtures
        try #require(files.count >= 10, "fixtures: \(files)")
        // -cx: one presentation context per file's own SOP class and transfer syntax, so nothing is converted.
        let sent = try store.run(["-aet", "STORESCU", "-aec", GatewayProcess.aeTitle, "-cx", "127.0.0.1", String(gateway.port)] + files,
                                 timeout: 120)
        #expect(sent.status == 0, "\(sent.stderrText)")
        let outputs = gateway.waitForOutputs(files.count)
        #expect(outputs.count == files.count, "log: \(gateway.logLines.joined(separator: "\n"))")
        #expect(gateway.spooled.isEmpty)
        #expect(gateway.events("stored").count == files.count)
        #expect(gateway.events("forwarded").count == files.count)
        #expect(gateway.stop() == 0)

        // The log names callers and spool files, never a value of an instance.
        let log = gateway.logLines.joined(separator: "\n")
        for file in files {
            let original = try Part10Reader.read(contentsOf: file)
            for tag in [Tag(0x0010, 0x0010), Tag(0x0010, 0x0020), Tag(0x0008, 0x0018)] {
                if let value = original.dataSet[tag]?.string(), value.count > 3 { #expect(!log.contains(value), "\(tag) in the log") }
            }
        }

        // Re-identified, each output gives back the data set storescu sent, byte for byte.
        let reidentify = try Self.reidentifyTool()
        let restored = gateway.path("restored")
        let back = try reidentify.run([gateway.output, "--output", restored, "--key",
                                       RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
                                       "--reason", "gateway interop test", "--audit-log", gateway.path("reidentify-audit.jsonl")], timeout: 300)
        #expect(back.status == 0, "\(back.stderrText)")
        let restoredFiles = DirectoryWalker(root: restored).files.map { restored + "/" + $0 }
        #expect(restoredFiles.count == files.count)
        // Fixtures share SOP Instance UIDs across transfer syntaxes (ct-*): matched by both.
        var restoredByKey: [String: Part10File] = [:]
        for path in restoredFiles {
            let file = try Part10Reader.read(contentsOf: path)
            restoredByKey[Self.key(file)] = file
        }
        for path in files {
            let original = try Part10Reader.read(contentsOf: path)
            let restoredFile = try #require(restoredByKey[Self.key(original)], "no restored instance for \(path)")
            let expected = try Self.sentDataSet(original), actual = try Self.comparable(restoredFile, to: original)
            let offset = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(expected.count, actual.count)
            #expect(expected == actual, "\(Paths.lastComponent(path)): restored data set differs from the one sent at offset \(offset) (\(actual.count) vs \(expected.count) bytes)")
        }
    }

    static func key(_ file: Part10File) -> String {
        (file.dataSet[Tag(0x0008, 0x0018)]?.string() ?? "") + " " + file.transferSyntax.uid
    }

    /// The data set storescu sends for a file, encoded as it is encoded: the file's, without group lengths
    /// (gggg,0000), which dcmtk drops on the network (the "stored" log line's byte count shows it).
    static func sentDataSet(_ file: Part10File) throws -> [UInt8] {
        var dataSet = file.dataSet
        dataSet.removeAll { $0.tag.element == 0x0000 }
        return try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(dataSet)
    }

    /// The restored data set's bytes, without the Patient Identity Removed NO that re-identification adds when
    /// the original had none (PS3.15 E.1.2).
    static func comparable(_ restored: Part10File, to original: Part10File) throws -> [UInt8] {
        var dataSet = restored.dataSet
        let identityRemoved = Tag(0x0012, 0x0062)
        if !original.dataSet.contains(identityRemoved), dataSet[identityRemoved]?.string() == "NO" { _ = dataSet.remove(identityRemoved) }
        return try DataSetWriter(target: restored.dataSetEncoding, sourceOrder: restored.dataSetEncoding.byteOrder).encode(dataSet)
    }

    static func reidentifyTool() throws -> ExternalTool {
        guard let url = RepositoryPaths.builtProduct("dicom-reidentify") else { throw PeerMissing("dicom-reidentify is not built") }
        return ExternalTool(executable: url)
    }
}
