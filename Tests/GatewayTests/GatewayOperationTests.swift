import DICOMCodec
import DICOMCore
import DICOMNetwork
import DICOMTestSupport
import FileSystem
import Foundation
import Gateway
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Running the gateway: its YAML configuration (the same as the flags), the caller in the audit record, the
/// status view, the stop on SIGTERM with an instance in flight, and the systemd unit example.
@Suite(.serialized) struct GatewayOperationTests {
    /// Stores ct-explicit-le.dcm over a raw association (as RAW) and waits for its C-STORE-RSP; returns the status.
    @discardableResult
    static func storeFixture(_ gateway: GatewayProcess, release: Bool = true) throws -> UInt16 {
        let (sopClass, sopInstance, data) = try HostilePeerTests.fixture()
        let raw = try HostilePeerTests.associate(gateway)
        for pdu in MessageAssembler.fragments(command: HostilePeerTests.storeCommand(sopClass, sopInstance), dataSet: data,
                                              contextID: 1, maxPDULength: 16384) {
            raw.send(pdu)
        }
        guard case .data(let values)? = raw.receive(), let value = values.first else {
            throw PeerErrorText("no C-STORE-RSP: \(gateway.logLines)")
        }
        if release {
            raw.send(.releaseRequest)
            _ = raw.receive()
        }
        return try DIMSECommand.decode(Array(value.bytes)).status ?? 0xFFFF
    }

    /// Values of the fixture that must never appear in a log, a status file or a status report.
    static func fixtureValues() throws -> [String] {
        let file = try Part10Reader.read(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path)
        return [Tag(0x0010, 0x0010), Tag(0x0010, 0x0020), Tag(0x0020, 0x000D), Tag(0x0008, 0x0018), Tag(0x0008, 0x0050)]
            .compactMap { file.dataSet[$0]?.string() }.filter { $0.count >= 4 }
    }

    /// The output's data set without the Encrypted Attributes Sequence (its content key is new each time).
    static func withoutEncryptedAttributes(_ path: String) throws -> [UInt8] {
        let file = try Part10Reader.read(contentsOf: path)
        var dataSet = file.dataSet
        _ = dataSet.remove(Tag(0x0400, 0x0500))
        return try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(dataSet)
    }

    @Test func configFileAndTheEquivalentFlagsGiveTheSameOutput() throws {
        let flags = ["--retain-device-identity", "--max-pdu-length", "32768", "--idle-timeout", "20"]
        let byFlags = try GatewayProcess(allow: ["RAW@127.0.0.1"], extra: flags)
        let byFile = try GatewayProcess(config: { gateway in
            """
            listen: {host: 127.0.0.1, port: 0, ae-title: \(GatewayProcess.aeTitle)}
            allow:
              - {ae-title: RAW, address: 127.0.0.1}
            limits: {max-pdu-length: 32768, idle-timeout: 20, artim-timeout: 5}
            spool: \(gateway.spool)
            secret: \(gateway.secret)
            deidentify:
              recipient: [\(RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path)]
              retain-device-identity: true
              retain-uids: false
            destinations:
              - {kind: folder, path: \(gateway.output)}
            """
        })
        for gateway in [byFlags, byFile] {
            #expect(try Self.storeFixture(gateway) == 0x0000)
            #expect(gateway.waitForOutputs(1).count == 1, "\(gateway.logLines)")
            #expect(gateway.stop() == 0)
        }
        // The same secret, options and input: the same output name and the same data set (the encrypted
        // attributes aside), and the same association parameters.
        let names = [byFlags, byFile].map { gateway in gateway.outputs.map { String($0.dropFirst(gateway.output.count)) } }
        #expect(names[0] == names[1])
        let dataSets = try [byFlags, byFile].map { try Self.withoutEncryptedAttributes($0.outputs[0]) }
        #expect(dataSets[0] == dataSets[1])
        let contexts = [byFlags, byFile].map { $0.events("associated").first?.split(separator: ",").filter { $0.contains("contexts") } }
        #expect(contexts[0] == contexts[1])
    }

    @Test(arguments: [
        ("listn: {port: 1}", "key listn: unknown key"),
        ("limits: {idle-timout: 5}", "key limits.idle-timout: unknown key"),
        ("limits: {idle-timeout: soon}", "key limits.idle-timeout: The value 'soon' is invalid"),
        ("limits: {idle-timeout: 0}", "key limits.idle-timeout: "),
        ("listen: {port: 70000}", "key listen.port: --port must be between 0 and 65535"),
        ("deidentify: {frobnicate: 1}", "key deidentify.frobnicate: Unknown option '--frobnicate'"),
        ("deidentify: {cipher: rot13}", "key deidentify.cipher: The value 'rot13' is invalid"),
        ("deidentify: {spool: /tmp}", "key deidentify.spool: not a de-identification option"),
        ("destinations: [{kind: ftp}]", "key destinations[1].kind: unknown kind 'ftp'"),
        ("destinations: [{kind: scp, ae-title: A, host: h}]", "key destinations[1]: missing port:"),
        ("allow: RAW", "key allow: must be a list"),
    ])
    func badConfigurationIsOneLineNamingTheFileAndTheKey(line: String, expected: String) throws {
        let directory = try TemporaryDirectory(prefix: "dicom-gateway-config")
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("gateway.yaml").path
        // A valid file, then the bad line (a section given twice is read twice, in order).
        var text = """
            listen: {host: 127.0.0.1, port: 0, ae-title: GATEWAY}
            spool: \(directory.url.appendingPathComponent("spool").path)
            deidentify: {recipient: [\(RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path)]}

            """
        if !line.hasPrefix("allow") { text += "allow: [RAW]\n" }
        text += line.hasPrefix("destinations") ? "" : "destinations: [{kind: folder, path: \(directory.url.appendingPathComponent("out").path)}]\n"
        text += line.hasPrefix("destinations") ? "destinations: [{kind: folder, path: /nonexistent/out}, \(line.dropFirst("destinations: [".count))\n" : line + "\n"
        try FileIO.writeAtomically(Array(text.utf8), to: file, overwrite: false, mode: 0o600, prefix: ".tmp-")
        let run = try ExternalTool(executable: GatewayProcess.executable).run(["--config", file], timeout: 30)
        #expect(run.status == 2)
        let lines = run.stderrText.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderrText)")
        #expect(run.stderrText.hasPrefix("dicom-gateway: \(file): \(expected)"), "\(run.stderrText)")
        // Nothing was started: no spool made.
        #expect(!FileIO.exists(directory.url.appendingPathComponent("spool").path))
    }

    @Test func configFileExpandsEverySectionIntoTheCommandsFlags() throws {
        let expansion = try GatewayConfigFile.parse("""
            listen: {host: 127.0.0.1, port: 104, ae-title: GW}
            allow: [A, B@10.0.0.1, {ae-title: C, address: 10.0.0.2}]
            limits: {max-pdu-length: 16384, max-instance-size: 64, max-associations: 8, idle-timeout: 60, artim-timeout: 10}
            spool: /s
            quarantine: /q
            secret: /k
            audit-log: false
            deidentify: {recipient: [a.crt, b.crt], retain-uids: true, retain-safe-private: false, cipher: aes128}
            destinations: [{kind: folder, path: /o}, {kind: scp, ae-title: ARCHIVE, host: h, port: 11112},
                           {kind: scp, ae-title: COPY, host: h2, port: 104}, {kind: stow, url: "http://h:8042/dicom-web"}]
            """, file: "g.yaml")
        #expect(expansion.arguments == [
            "--host", "127.0.0.1", "--port", "104", "--ae-title", "GW",
            "--allow", "A", "--allow", "B@10.0.0.1", "--allow", "C@10.0.0.2",
            "--max-pdu-length", "16384", "--max-instance-size", "64", "--max-associations", "8", "--idle-timeout", "60", "--artim-timeout", "10",
            "--spool", "/s", "--quarantine", "/q", "--secret", "/k", "--no-audit-log",
            "--recipient", "a.crt", "--recipient", "b.crt", "--retain-uids", "--cipher", "aes128",
            "--forward-to-folder", "/o", "--forward-to-scp", "ARCHIVE@h:11112", "--forward-to-scp", "COPY@h2:104",
            "--forward-to-stow", "http://h:8042/dicom-web",
        ])
        // An error about --allow-weak-keys names no --allow key; one about --allow does.
        #expect(expansion.key(mentionedIn: "Unknown option '--allow-weak-keys'") == nil)
        #expect(expansion.key(mentionedIn: "give at least one --allow calling AE title") == "allow[2]")
        #expect(throws: GatewayConfigError(file: "g.yaml", key: "destinations[1]", "a second folder (one folder; scp and stow destinations may be several)")) {
            try GatewayConfigFile.parse("destinations: [{kind: folder, path: /a}, {kind: folder, path: /b}]", file: "g.yaml")
        }
    }

    @Test func auditRecordNamesTheCallersAETitleAndAddress() throws {
        let gateway = try GatewayProcess()
        #expect(try Self.storeFixture(gateway) == 0x0000)
        #expect(gateway.waitForOutputs(1).count == 1)
        #expect(gateway.stop() == 0)
        let records = try String(decoding: FileIO.readAll(path: gateway.auditLog), as: UTF8.self).split(separator: "\n")
        try #require(records.count == 1)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(records[0].utf8)) as? [String: Any])
        #expect(record["caller"] as? String == "RAW")
        #expect((record["callerAddress"] as? String)?.hasPrefix("127.0.0.1:") == true, "\(record)")
        #expect(record["status"] as? String == "written")
        #expect(record["actions"] != nil, "the record is dicom-deidentify's: \(record)")
    }

    @Test func statusCountsWhatHappenedAndNamesNoValue() throws {
        let gateway = try GatewayProcess()
        let tool = try ExternalTool(executable: GatewayProcess.executable)
        #expect(try Self.storeFixture(gateway) == 0x0000)
        #expect(gateway.waitForOutputs(1).count == 1)
        // Written at most once a second while the counts change.
        let deadline = Date().addingTimeInterval(10)
        var running = ""
        while Date() < deadline {
            running = try tool.run(["status", "--spool", gateway.spool], timeout: 30).stdoutText
            if running.contains("forwarded    1") { break }
            usleep(200_000)
        }
        #expect(running.contains("state        running"), "\(running)")
        #expect(gateway.stop() == 0)
        let shown = try tool.run(["status", "--spool", gateway.spool], timeout: 30)
        #expect(shown.status == 0)
        #expect(shown.stdoutText.hasPrefix("state        stopped (process "), "\(shown.stdoutText)")
        for line in ["received     1", "refused      0", "processed    1", "forwarded    1",
                     "quarantined  0", "failed       0", "waiting      0 in the spool, 0 in quarantine",
                     "  folder \(gateway.output): 1 delivered, 0 refused"] {
            #expect(shown.stdoutText.contains(line + "\n"), "\(line) missing in:\n\(shown.stdoutText)")
        }
        let json = try tool.run(["status", "--spool", gateway.spool, "--json"], timeout: 30)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any], "\(json.stdoutText)")
        #expect(object["received"] as? Int == 1)
        #expect(object["waiting"] as? Int == 0)
        #expect((object["deliveredTo"] as? [String: Int])?["folder " + gateway.output] == 1)
        let statusFile = String(decoding: try FileIO.readAll(path: gateway.spool + "/" + GatewayStatus.fileName), as: UTF8.self)
        for value in try Self.fixtureValues() {
            #expect(!statusFile.contains(value) && !shown.stdoutText.contains(value) && !gateway.logLines.joined().contains(value),
                    "a value of the instance is shown: \(value)")
        }
        let missing = try tool.run(["status", "--spool", gateway.path("no-such-spool")], timeout: 30)
        #expect(missing.status == 2)
        #expect(missing.stderrText.contains("no status file"), "\(missing.stderrText)")
    }

    @Test func sigtermWithAnInstanceInFlightKeepsWhatWasAcknowledgedAndDropsThePartOne() throws {
        let gateway = try GatewayProcess()
        #expect(try Self.storeFixture(gateway, release: false) == 0x0000)
        // A second association sends half of an instance, then the gateway is told to stop.
        let (sopClass, sopInstance, data) = try HostilePeerTests.fixture()
        let raw = try HostilePeerTests.associate(gateway)
        let fragments = MessageAssembler.fragments(command: HostilePeerTests.storeCommand(sopClass, sopInstance + ".2"), dataSet: data,
                                                   contextID: 1, maxPDULength: 4096)
        try #require(fragments.count > 3)
        for pdu in fragments.prefix(fragments.count / 2) { raw.send(pdu) }
        usleep(300_000)
        kill(gateway.process.processIdentifier, SIGTERM)
        // No new association once it is stopping.
        usleep(500_000)
        #expect((try? RawAssociation(port: gateway.port)) == nil, "still accepting connections")
        #expect(gateway.stop() == 0)
        #expect(raw.isClosedByPeer(), "the association with a partial instance was not closed")
        // The acknowledged instance was forwarded; the partial one was neither acknowledged nor written.
        #expect(gateway.outputs.count == 1, "\(gateway.logLines)")
        #expect(gateway.spooled.filter { $0.hasSuffix(".dcm") }.isEmpty, "\(gateway.spooled)")
        #expect(gateway.events("stored").count == 1)
        #expect(gateway.events("stopped").count == 1)
    }

    @Test(.enabled(if: Peer.runnable(Peer.systemdAnalyze), Comment(rawValue: Peer.skipReason(Peer.systemdAnalyze))))
    func systemdUnitExampleVerifiesAndIsHardened() throws {
        let analyze = try Peer.systemdAnalyze.require()
        let unit = RepositoryPaths.root.appendingPathComponent("deploy/systemd/dicom-gateway.service").path
        let text = String(decoding: try FileIO.readAll(path: unit), as: UTF8.self)
        #expect(text.contains("ExecStart=/usr/local/bin/dicom-gateway --config "))
        // verify checks the command exists: the unit is checked with the built gateway in its place.
        let directory = try TemporaryDirectory(prefix: "dicom-gateway-unit")
        defer { directory.remove() }
        let copy = directory.url.appendingPathComponent("dicom-gateway.service").path
        try FileIO.writeAtomically(Array(text.replacingOccurrences(of: "/usr/local/bin/dicom-gateway", with: try GatewayProcess.executable.path).utf8),
                                   to: copy, overwrite: false, mode: 0o644, prefix: ".tmp-")
        let verify = try analyze.run(["verify", copy], timeout: 60)
        #expect(verify.status == 0 && verify.stderrText.isEmpty, "\(verify.stderrText)")
        // systemd's own exposure score: 1.4 for this unit ("OK" is under 4.0, "EXPOSED" from 7.0).
        let security = try analyze.run(["security", "--offline=yes", copy], timeout: 60)
        let score = security.stdoutText.split(separator: "\n").last { $0.contains("Overall exposure level") }
            .flatMap { line in line.split(separator: " ").compactMap { Double($0) }.first }
        #expect(score.map { $0 <= 2.0 } == true, "\(security.stdoutText.suffix(300))")
        // The example configuration it reads is a valid one.
        _ = try GatewayConfigFile.load(path: RepositoryPaths.root.appendingPathComponent("deploy/systemd/gateway.yaml").path)
    }
}
