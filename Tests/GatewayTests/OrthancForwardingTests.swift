import DICOMCodec
import DICOMCore
import DICOMTestSupport
import FileSystem
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The gateway forwarding to real Orthanc servers, started by the tests: by C-STORE and by STOW-RS (its DICOMweb
/// plugin). Orthanc's REST API then lists exactly the de-identified instances of the audit log, and
/// `dicom-reidentify` restores from what Orthanc returns the data sets dcmtk's storescu sent, byte for byte.
/// Then nothing is lost: a `kill -9` of the gateway during a 1,000-instance send, and Orthanc down for a while.
@Suite(.serialized) struct OrthancForwardingTests {
    /// The fixtures sent: those in Explicit VR Little Endian, each with its own SOP Instance UID (the ct-* files
    /// share one across transfer syntaxes, and a second, different instance under one UID is not forwarded).
    static var fixtures: [String] {
        DcmtkInteropTests.fixtures.filter { $0.hasSuffix("-explicit-le.dcm") }.sorted()
    }

    @Test(.enabled(if: Peer.runnable(.orthanc, .orthancDicomWeb, .storescu, .storescp),
                   Comment(rawValue: Peer.skipReason(.orthanc, .orthancDicomWeb, .storescu, .storescp))))
    func forwardsToOrthancByCStoreAndStowRS() async throws {
        let storescu = try Peer.storescu.require()
        let storescp = try Peer.storescp.require()
        let byCStore = try OrthancProcess()
        let byStow = try OrthancProcess()
        try await byCStore.start()
        try await byStow.start()
        let gateway = try GatewayProcess(extra: ["--forward-to-scp", "\(OrthancProcess.aeTitle)@127.0.0.1:\(byCStore.dicomPort)",
                                                 "--forward-to-stow", byStow.dicomWeb])
        let files = Self.fixtures
        try #require(files.count >= 8, "fixtures: \(files)")
        let sent = try storescu.run(["-aet", "STORESCU", "-aec", GatewayProcess.aeTitle, "-R", "-xe", "127.0.0.1", String(gateway.port)] + files,
                                    timeout: 120)
        #expect(sent.status == 0, "\(sent.stderrText)")
        gateway.waitForOutputs(files.count)
        #expect(gateway.spooled.isEmpty, "\(gateway.logLines.joined(separator: "\n"))")
        #expect(gateway.events("forwarded").count == files.count)
        #expect(gateway.events("sent").count == 2 * files.count)
        #expect(gateway.events("quarantined").isEmpty)
        #expect(gateway.stop() == 0)

        // The audit log's outputs are what each Orthanc lists: as many, the same SOP Instance UIDs.
        let audited = try Self.auditedOutputs(gateway.auditLog)
        #expect(audited.count == files.count)
        let folder = try Dictionary(uniqueKeysWithValues: gateway.outputs.map { path in
            (try Part10Reader.read(contentsOf: path).dataSet[Tag(0x0008, 0x0018)]?.string() ?? "", try FileIO.readAll(path: path))
        })
        // What storescu sends, captured by storescp in bit-preserving mode: the originals to compare with.
        let originals = try Self.capture(files, storescu: storescu, storescp: storescp, in: gateway.path("sent-by-storescu"))
        #expect(originals.count == files.count)
        for (orthanc, route) in [(byCStore, "c-store"), (byStow, "stow-rs")] {
            let instances = try await orthanc.instances()
            #expect(instances.count == files.count, "\(route): Orthanc holds \(instances.count) instances")
            #expect(Set(instances.map(\.sopInstanceUID)) == audited, "\(route): Orthanc's instances are not the audit log's outputs")
            let returned = gateway.path("from-orthanc-" + route)
            try FileIO.makeDirectories(returned)
            for instance in instances {
                let bytes = try await orthanc.file(instance.id)
                let written = try #require(folder[instance.sopInstanceUID], "\(route): \(instance.sopInstanceUID) is not in the folder")
                if route == "stow-rs" {
                    // Orthanc keeps the posted file as it is.
                    let same = bytes == written
                    #expect(same, "STOW-RS: Orthanc returns other bytes than the file posted")
                } else {
                    // Orthanc's C-STORE SCP (dcmtk) writes its own meta group and re-encodes sequences and items
                    // with defined lengths: the values are compared.
                    let difference = DcmtkInteropTests.valueDifference(sent: try Part10Reader.read(bytes: written).dataSet,
                                                                      received: try Part10Reader.read(bytes: bytes).dataSet)
                    #expect(difference == nil, "C-STORE: Orthanc returns other values than those sent: \(difference ?? "")")
                }
                try FileIO.writeAtomically(bytes, to: returned + "/" + instance.id + ".dcm", overwrite: false, mode: 0o600, prefix: ".tmp-")
            }
            // dicom-reidentify restores, from what Orthanc returns, the data set storescu sent, byte for byte.
            let restored = gateway.path("restored-" + route)
            let back = try DcmtkInteropTests.reidentifyTool().run(
                [returned, "--output", restored, "--key", RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
                 "--reason", "gateway Orthanc test", "--audit-log", gateway.path("reidentify-\(route).jsonl")], timeout: 300)
            #expect(back.status == 0, "\(route): \(back.stderrText)")
            let restoredFiles = DirectoryWalker(root: restored).files.map { restored + "/" + $0 }
            #expect(restoredFiles.count == files.count)
            for path in restoredFiles {
                let bytes = try FileIO.readAll(path: path)
                let uid = try Part10Reader.read(bytes: bytes).dataSet[Tag(0x0008, 0x0018)]?.string() ?? ""
                let original = try #require(originals[uid], "\(route): restored \(uid) was not sent")
                var restoredSet = dataSetBytes(bytes)
                // PS3.15 E.1.2: the de-identifier adds Patient Identity Removed (0012,0062) NO when a file has none;
                // re-identification keeps it. Nothing else may differ.
                if let difference = Self.firstDifference(original, restoredSet) {
                    restoredSet = try Self.withoutIdentityRemoved(restoredSet, original: original)
                    #expect(Self.firstDifference(original, restoredSet) == nil,
                            "\(route): \(uid) restored differs from what storescu sent at data set offset \(difference)")
                }
            }
        }
        await byCStore.stop()
        await byStow.stop()
    }

    /// Sends `files` with storescu to a storescp writing what it receives bit for bit; returns each data set by
    /// SOP Instance UID.
    static func capture(_ files: [String], storescu: ExternalTool, storescp: ExternalTool, in folder: String) throws -> [String: ArraySlice<UInt8>] {
        try FileIO.makeDirectories(folder)
        let port = RawAssociation.freePort()
        let process = Process()
        process.executableURL = storescp.executable
        process.arguments = ["-aet", "CAPTURE", "+B", "-od", folder, String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try? RawAssociation(port: port)) == nil { usleep(50_000) }
        let sent = try storescu.run(["-aet", "STORESCU", "-aec", "CAPTURE", "-R", "-xe", "127.0.0.1", String(port)] + files, timeout: 120)
        #expect(sent.status == 0, "\(sent.stderrText)")
        var originals: [String: ArraySlice<UInt8>] = [:]
        for name in DirectoryWalker(root: folder).files {
            let bytes = try FileIO.readAll(path: folder + "/" + name)
            originals[try Part10Reader.read(bytes: bytes).dataSet[Tag(0x0008, 0x0018)]?.string() ?? ""] = dataSetBytes(bytes)
        }
        return originals
    }

    /// The data set without an added (0012,0062) element, when `original` has none, re-encoded from the rest's
    /// own bytes (explicit VR little endian, the only syntax sent here).
    static func withoutIdentityRemoved(_ bytes: ArraySlice<UInt8>, original: ArraySlice<UInt8>) throws -> ArraySlice<UInt8> {
        let syntax = TransferSyntax.explicitVRLittleEndian
        let originalSet = try Part10Reader.readDataSet(bytes: Array(original), transferSyntax: syntax)
        var set = try Part10Reader.readDataSet(bytes: Array(bytes), transferSyntax: syntax)
        guard !originalSet.contains(Tag(0x0012, 0x0062)) else { return bytes }
        _ = set.remove(Tag(0x0012, 0x0062))
        return try DataSetWriter(target: .explicitLittle, sourceOrder: .littleEndian).encode(set)[...]
    }

    /// The first offset where two byte strings differ, or nil when equal.
    static func firstDifference(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int? {
        if a.elementsEqual(b) { return nil }
        return zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    }

    /// The distinct output SOP Instance UIDs of the audit log's records.
    static func auditedOutputs(_ path: String) throws -> Set<String> {
        let text = String(decoding: try FileIO.readAll(path: path), as: UTF8.self)
        var uids = Set<String>()
        for line in text.split(separator: "\n") {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let uid = record?["sopInstanceUID"] as? String { uids.insert(uid) }
        }
        return uids
    }
}
