import DICOMCodec
import DICOMCore
import DICOMTestSupport
import FileSystem
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `--forward-to-scp`: each de-identified instance goes on by C-STORE to dcmtk's storescp, with the values
/// written to the folder; while storescp is down the instance stays in the spool and is sent once it is back.
@Suite(.serialized) struct StorescpForwardingTests {
    @Test(.enabled(if: Peer.runnable(.storescu, .storescp), Comment(rawValue: Peer.skipReason(.storescu, .storescp))))
    func forwardsByCStoreAndRetriesWhileTheDestinationIsDown() throws {
        let storescu = try Peer.storescu.require()
        let storescp = try Peer.storescp.require()
        let archivePort = RawAssociation.freePort()
        let archiveDirectory = try TemporaryDirectory(prefix: "dicom-gateway-archive")
        defer { archiveDirectory.remove() }
        let archive = archiveDirectory.url.path
        func startArchive() throws -> Process {
            let process = Process()
            process.executableURL = storescp.executable
            process.arguments = ["-aet", "ARCHIVE", "-od", archive, String(archivePort)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, (try? RawAssociation(port: archivePort)) == nil { usleep(50_000) }
            return process
        }
        var scp = try startArchive()
        defer { if scp.isRunning { kill(scp.processIdentifier, SIGKILL); scp.waitUntilExit() } }
        let gateway = try GatewayProcess(extra: ["--forward-to-scp", "ARCHIVE@127.0.0.1:\(archivePort)"])
        func archived() -> [String] { DirectoryWalker(root: archive).files.map { archive + "/" + $0 } }
        func send(_ names: [String]) throws {
            let files = names.map { RepositoryPaths.fixtures.appendingPathComponent($0).path }
            let sent = try storescu.run(["-aet", "STORESCU", "-aec", GatewayProcess.aeTitle, "-R", "-xe", "127.0.0.1", String(gateway.port)] + files, timeout: 60)
            #expect(sent.status == 0, "\(sent.stderrText)")
        }
        func wait(until done: () -> Bool, seconds: Double = 60) {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, !done() { usleep(50_000) }
        }

        try send(["ct-explicit-le.dcm", "mr-explicit-le.dcm"])
        wait { archived().count == 2 && gateway.spooled.isEmpty }
        #expect(archived().count == 2, "\(gateway.logLines.joined(separator: "\n"))")
        #expect(gateway.events("sent").count == 2)

        // What storescp received is the de-identified data set the gateway wrote to its folder, byte for byte.
        let folder = try Dictionary(uniqueKeysWithValues: gateway.outputs.map { path in
            (try Part10Reader.read(contentsOf: path).dataSet[Tag(0x0008, 0x0018)]?.string() ?? "", try FileIO.readAll(path: path))
        })
        for path in archived() {
            let bytes = try FileIO.readAll(path: path)
            let file = try Part10Reader.read(bytes: bytes)
            let uid = file.dataSet[Tag(0x0008, 0x0018)]?.string() ?? ""
            #expect(uid.hasPrefix("2.25."), "not de-identified: \(uid)")
            #expect(file.dataSet.contains(Tag(0x0400, 0x0500)), "no Encrypted Attributes Sequence")
            let written = try Part10Reader.read(bytes: try #require(folder[uid], "storescp has an instance the folder does not"))
            // storescp re-encodes what it writes (explicit lengths): the values are compared.
            let difference = DcmtkInteropTests.valueDifference(sent: written.dataSet, received: file.dataSet)
            #expect(difference == nil, "\(uid): storescp's data set differs from the folder's: \(difference ?? "")")
        }

        // Destination down: the instance waits in the spool, and goes once storescp is back.
        // SIGKILL: storescp was seen not to end on SIGTERM here (the test then hung in waitUntilExit).
        kill(scp.processIdentifier, SIGKILL)
        scp.waitUntilExit()
        try send(["sr-basic-text-explicit-le.dcm"])
        wait { !gateway.events("deferred").isEmpty }
        #expect(!gateway.events("deferred").isEmpty, "\(gateway.logLines.joined(separator: "\n"))")
        #expect(gateway.spooled.count == 1)
        scp = try startArchive()
        wait(until: { archived().count == 3 && gateway.spooled.isEmpty }, seconds: 90)
        #expect(archived().count == 3, "\(gateway.logLines.joined(separator: "\n"))")
        #expect(gateway.spooled.isEmpty)
        #expect(gateway.stop() == 0)
    }

    /// A destination that does not answer is tried once per backoff, not once per waiting instance: each try may
    /// cost a connect timeout, and instances of other studies would each pay it.
    @Test(.enabled(if: Peer.runnable(.storescu, .pydicom), Comment(rawValue: Peer.skipReason(.storescu, .pydicom))))
    func aDownDestinationIsTriedOncePerBackoffNotOncePerInstance() throws {
        let storescu = try Peer.storescu.require()
        let directory = try TemporaryDirectory(prefix: "dicom-gateway-studies")
        defer { directory.remove() }
        // Three copies of one fixture, each in a study of its own (so that no study's order holds the others back).
        let script = """
            import sys, pydicom
            source, folder = sys.argv[1], sys.argv[2]
            for n in range(3):
                ds = pydicom.dcmread(source)
                ds.StudyInstanceUID = f"2.25.1234567890{n}"
                ds.SOPInstanceUID = f"2.25.9876543210{n}"
                ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
                ds.save_as(f"{folder}/study{n}.dcm", enforce_file_format=True)
            """
        let made = try Peer.pydicom.require().run(["-c", script, RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path,
                                                   directory.url.path])
        #expect(made.status == 0, "\(made.stderrText)")
        // Nothing listens on this port: every C-STORE association is refused at once.
        let gateway = try GatewayProcess(extra: ["--forward-to-scp", "ARCHIVE@127.0.0.1:\(RawAssociation.freePort())"])
        let files = (0..<3).map { directory.url.appendingPathComponent("study\($0).dcm").path }
        let sent = try storescu.run(["-aet", "STORESCU", "-aec", GatewayProcess.aeTitle, "-xe", "127.0.0.1", String(gateway.port)] + files, timeout: 60)
        #expect(sent.status == 0, "\(sent.stderrText)")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, gateway.events("placed").count < 3 { usleep(50_000) }
        usleep(300_000)
        let tries = gateway.events("deferred").filter { $0.contains("\"destination\":") }
        #expect(gateway.events("placed").count == 3, "\(gateway.logLines.joined(separator: "\n"))")
        // The first backoff is 2 s: within it, one try (two if the three arrived more than 2 s apart).
        #expect((1...2).contains(tries.count), "\(tries.joined(separator: "\n"))")
        #expect(gateway.spooled.count == 3)
        #expect(gateway.stop() == 0)
    }
}
