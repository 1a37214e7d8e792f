import DICOMTestSupport
import FileSystem
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Nothing lost (issue 21): pynetdicom sends 1,000 small instances; the gateway is killed with SIGKILL midway
/// and restarted on the same spool, and the sender resends what was not acknowledged. Orthanc, the C-STORE
/// destination, is then down for a while and back. Every instance reaches Orthanc exactly once: Orthanc holds
/// 1,000 instances, one per de-identified SOP Instance UID of the audit log, and the folder holds 1,000 files.
@Suite(.serialized) struct NothingLostTests {
    static let count = 1000

    /// Sends instances `<prefix>.1` ... `<prefix>.<count>` (copies of one fixture, one study) on one association,
    /// skipping those listed in the acknowledgement file, and appends each acknowledged UID to it. Stops at the
    /// first failure (the gateway gone); exit status 0 only when all were acknowledged.
    static let sender = """
    import os, sys
    from pydicom import dcmread
    from pynetdicom import AE
    port, fixture, prefix, count, acknowledged = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    done = set(open(acknowledged).read().split()) if os.path.exists(acknowledged) else set()
    ds = dcmread(fixture)
    ae = AE(ae_title="PYNETDICOM")
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = 60
    ae.add_requested_context(ds.SOPClassUID, ds.file_meta.TransferSyntaxUID)
    assoc = ae.associate("127.0.0.1", port, ae_title="GATEWAY")
    if not assoc.is_established: sys.exit(2)
    with open(acknowledged, "a") as out:
        for i in range(1, count + 1):
            uid = "%s.%d" % (prefix, i)
            if uid in done: continue
            ds.SOPInstanceUID = uid
            ds.file_meta.MediaStorageSOPInstanceUID = uid
            status = assoc.send_c_store(ds)
            if getattr(status, "Status", None) != 0: sys.exit(1)
            out.write(uid + "\\n")
            out.flush()
            done.add(uid)
    assoc.release()
    sys.exit(0 if len(done) == count else 1)
    """

    @Test(.enabled(if: Peer.runnable(.orthanc, .orthancDicomWeb, .pynetdicom),
                   Comment(rawValue: Peer.skipReason(.orthanc, .orthancDicomWeb, .pynetdicom))))
    func killedGatewayAndADestinationDownLoseNothing() async throws {
        let python = try Peer.pynetdicom.require()
        let orthanc = try OrthancProcess()
        try await orthanc.start()
        let directory = try TemporaryDirectory(prefix: "dicom-gateway-nothing-lost")
        defer { directory.remove() }
        let options = ["--forward-to-scp", "\(OrthancProcess.aeTitle)@127.0.0.1:\(orthanc.dicomPort)"]
        let fixture = RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path
        let prefix = "2.25.\(UInt64.random(in: 1...UInt64.max))"
        let acknowledged = directory.url.appendingPathComponent("acknowledged.txt").path
        func acknowledgedUIDs() -> [String] {
            ((try? FileIO.readAll(path: acknowledged)).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "\n").map(String.init)
        }
        let started = Date()

        // 1. Send; SIGKILL the gateway once a few hundred are stored.
        var gateway = try GatewayProcess(allow: ["PYNETDICOM"], extra: options, directory: directory)
        let first = Process()
        first.executableURL = python.executable
        first.arguments = ["-c", Self.sender, String(gateway.port), fixture, prefix, String(Self.count), acknowledged]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let killDeadline = Date().addingTimeInterval(120)
        while Date() < killDeadline, first.isRunning, gateway.events("stored").count < 300 { try await Task.sleep(for: .microseconds(20_000)) }
        gateway.killNow()
        first.waitUntilExit()
        let beforeCrash = acknowledgedUIDs()
        #expect(beforeCrash.count >= 300 && beforeCrash.count < Self.count, "acknowledged before the crash: \(beforeCrash.count)")
        #expect(Set(beforeCrash).count == beforeCrash.count)

        let killed = Date()

        // 2. The destination goes down; the gateway restarts on the same spool; the sender resends the rest.
        await orthanc.stop()
        gateway = try GatewayProcess(allow: ["PYNETDICOM"], extra: options, directory: directory)
        let second = Process()
        second.executableURL = python.executable
        second.arguments = ["-c", Self.sender, String(gateway.port), fixture, prefix, String(Self.count), acknowledged]
        second.standardOutput = FileHandle.nullDevice
        second.standardError = FileHandle.nullDevice
        try second.run()
        let downDeadline = Date().addingTimeInterval(60)
        while Date() < downDeadline, gateway.events("deferred").isEmpty { try await Task.sleep(for: .microseconds(50_000)) }
        #expect(!gateway.events("deferred").isEmpty, "the gateway never found the destination down")
        // Down for a few more seconds while instances keep arriving (a longer outage only lengthens the backoff).
        try await Task.sleep(for: .microseconds(3_000_000))

        // 3. The destination is back: everything arrives, once.
        try await orthanc.start()
        let back = Date()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0, "the second sender failed")
        #expect(Set(acknowledgedUIDs()).count == Self.count)
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, !gateway.spooled.isEmpty { try await Task.sleep(for: .microseconds(200_000)) }
        let drained = Date()
        #expect(gateway.spooled.isEmpty, "left in the spool: \(gateway.spooled.count)")
        #expect(gateway.stop() == 0)
        let instances = try await orthanc.instances()
        let audited = try OrthancForwardingTests.auditedOutputs(gateway.auditLog)
        #expect(audited.count == Self.count, "distinct outputs in the audit log: \(audited.count)")
        #expect(instances.count == Self.count, "Orthanc holds \(instances.count) instances")
        #expect(Set(instances.map(\.sopInstanceUID)) == audited)
        #expect(gateway.outputs.count == Self.count, "the folder holds \(gateway.outputs.count) files")
        // Per-study order (one study here): Orthanc stored the instances in the order the gateway received them,
        // across the crash and the outage. Receipt order is the spool file names' order; a resent instance
        // counts from its first receipt.
        let uidByID = Dictionary(uniqueKeysWithValues: instances.map { ($0.id, $0.sopInstanceUID) })
        let arrival = try await orthanc.newInstanceIDs().compactMap { uidByID[$0] }
        #expect(arrival == (try Self.outputsInReceiptOrder(gateway.auditLog)), "Orthanc received the study out of order")
        #expect(gateway.events("quarantined").isEmpty)
        await orthanc.stop()
        print("nothing lost: \(Self.count) instances, \(beforeCrash.count) acknowledged before the kill -9, \(gateway.events("stored").count) stored after the restart, \(gateway.events("deferred").count) deferrals while Orthanc was down, \(Int(killed.timeIntervalSince(started))) s to the kill, \(Int(back.timeIntervalSince(killed))) s to Orthanc back, \(Int(drained.timeIntervalSince(back))) s to an empty spool")
    }

    /// The audit log's output SOP Instance UIDs ordered by the spool file each came from first (names sort by
    /// time of receipt).
    static func outputsInReceiptOrder(_ path: String) throws -> [String] {
        var first: [String: String] = [:]
        for line in String(decoding: try FileIO.readAll(path: path), as: UTF8.self).split(separator: "\n") {
            guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let uid = record["sopInstanceUID"] as? String, let input = record["input"] as? String else { continue }
            let name = String(input.split(separator: "/").last ?? "")
            if first[uid].map({ name < $0 }) ?? true { first[uid] = name }
        }
        return first.sorted { $0.value < $1.value }.map(\.key)
    }
}
