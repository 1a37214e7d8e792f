import DICOMCodec
import DICOMCore
import DICOMNetwork
import DICOMTestSupport
import FileSystem
import Foundation
import Testing

/// What no conforming peer sends, each answered by an abort and nothing written; and a well-formed raw
/// association as the control that the same path does store.
@Suite(.serialized) struct HostilePeerTests {
    /// ct-explicit-le.dcm's SOP class, instance and data set bytes.
    static func fixture() throws -> (sopClass: String, sopInstance: String, dataSet: [UInt8]) {
        let bytes = try FileIO.readAll(path: RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path)
        let file = try Part10Reader.read(bytes: bytes)
        return (file.meta[Tag(0x0002, 0x0002)]?.string() ?? "", file.meta[Tag(0x0002, 0x0003)]?.string() ?? "",
                Array(dataSetBytes(bytes)))
    }

    static func storeCommand(_ sopClass: String, _ sopInstance: String) -> [UInt8] {
        DIMSECommand(commandField: DIMSECommand.Field.cStoreRequest.rawValue, affectedSOPClassUID: sopClass, messageID: 1,
                     priority: 0, hasDataSet: true, affectedSOPInstanceUID: sopInstance).encoded()
    }

    /// Associates as RAW; the accepted context 1 (CT Image Storage, Explicit VR Little Endian) is required.
    static func associate(_ gateway: GatewayProcess) throws -> RawAssociation {
        let raw = try RawAssociation(port: gateway.port)
        raw.send(.associateRequest(RawAssociation.request()))
        guard case .associateAccept(let accept)? = raw.receive() else { throw PeerErrorText("not accepted: \(gateway.logLines)") }
        try #require(accept.contexts.first?.result == .acceptance)
        return raw
    }

    @Test func storesOverARawAssociation() throws {
        let gateway = try GatewayProcess()
        let (sopClass, sopInstance, data) = try Self.fixture()
        try #require(sopClass == "1.2.840.10008.5.1.4.1.1.2")
        let raw = try Self.associate(gateway)
        for pdu in MessageAssembler.fragments(command: Self.storeCommand(sopClass, sopInstance), dataSet: data, contextID: 1, maxPDULength: 16384) {
            raw.send(pdu)
        }
        guard case .data(let values)? = raw.receive(), let value = values.first else {
            Issue.record("no C-STORE-RSP: \(gateway.logLines)")
            return
        }
        let response = try DIMSECommand.decode(Array(value.bytes))
        #expect(response.field == .cStoreResponse)
        #expect(response.status == 0x0000)
        // By the time success is answered, the instance is in the spool or already forwarded (or, for a moment,
        // both: its output is placed before its spool file is removed).
        #expect(gateway.spooled.count == 1 || gateway.outputs.count == 1)
        raw.send(.releaseRequest)
        #expect(raw.receive() == .releaseResponse)
        #expect(gateway.waitForOutputs(1).count == 1)

        // Re-identified, the output gives back the data set sent, byte for byte: undefined-length sequences and
        // items, and the Data Set Trailing Padding of this fixture included.
        let restored = gateway.path("restored")
        let back = try DcmtkInteropTests.reidentifyTool().run(
            [gateway.output, "--output", restored, "--key", RepositoryPaths.keys.appendingPathComponent("test-recipient-a.key").path,
             "--reason", "gateway test", "--audit-log", gateway.path("reidentify-audit.jsonl")], timeout: 120)
        #expect(back.status == 0, "\(back.stderrText)")
        let file = try Part10Reader.read(contentsOf: restored + "/" + (DirectoryWalker(root: restored).files.first ?? ""))
        var dataSet = file.dataSet
        _ = dataSet.remove(Tag(0x0012, 0x0062))   // Patient Identity Removed NO, which re-identification adds (PS3.15 E.1.2)
        let bytes = try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(dataSet)
        let same = bytes == data
        #expect(same, "restored data set differs from the one sent (\(bytes.count) vs \(data.count) bytes)")
    }

    @Test func abortsOnMalformedPDUAndWritesNothing() throws {
        let gateway = try GatewayProcess()
        let unknown = try RawAssociation(port: gateway.port)
        unknown.send([0x09, 0x00, 0, 0, 0, 4, 1, 2, 3, 4])
        #expect(unknown.receive() == .abort(.unrecognizedPDU))
        #expect(unknown.isClosedByPeer())

        // An A-ASSOCIATE-RQ whose item runs past the PDU.
        var bytes = PDU.associateRequest(RawAssociation.request()).encoded()
        bytes[76] = 0xFF
        bytes[77] = 0xFF
        let malformed = try RawAssociation(port: gateway.port)
        malformed.send(bytes)
        #expect(malformed.receive() == .abort(.invalidParameter))
        #expect(malformed.isClosedByPeer())
        #expect(gateway.events("aborted").count == 2, "\(gateway.logLines)")
        #expect(gateway.spooled.isEmpty && gateway.outputs.isEmpty)
    }

    @Test func abortsOnPDUBeyondTheLimitBeforeReadingIt() throws {
        let gateway = try GatewayProcess(extra: ["--max-pdu-length", "16384"])
        let raw = try Self.associate(gateway)
        // Only the header of a P-DATA-TF of 16 MiB: refused from its length alone.
        raw.send([0x04, 0x00, 0x01, 0x00, 0x00, 0x00])
        #expect(raw.receive() == .abort(.invalidParameter))
        #expect(raw.isClosedByPeer())
        #expect(gateway.events("aborted").first?.contains("beyond the limit") == true, "\(gateway.logLines)")
        #expect(gateway.spooled.isEmpty && gateway.outputs.isEmpty)
    }

    @Test func abortInTheMiddleOfAnInstanceWritesNothingAndAcknowledgesNothing() throws {
        let gateway = try GatewayProcess()
        let (sopClass, sopInstance, data) = try Self.fixture()
        let raw = try Self.associate(gateway)
        let pdus = MessageAssembler.fragments(command: Self.storeCommand(sopClass, sopInstance), dataSet: data, contextID: 1, maxPDULength: 1024)
        try #require(pdus.count > 3)
        // The command and half the data set, then an abort.
        for pdu in pdus.prefix(pdus.count / 2) { raw.send(pdu) }
        raw.send(.abort(.user))
        #expect(raw.receive(seconds: 2) == nil, "nothing is answered for a partial instance")
        usleep(500_000)
        #expect(gateway.events("aborted").first?.contains("bytes discarded") == true, "\(gateway.logLines)")
        #expect(gateway.events("stored").isEmpty)
        #expect(gateway.spooled.isEmpty && gateway.outputs.isEmpty)

        // The same with the connection simply dropped.
        let dropped = try Self.associate(gateway)
        for pdu in pdus.prefix(pdus.count / 2) { dropped.send(pdu) }
        _ = consume dropped
        usleep(500_000)
        #expect(gateway.events("aborted").count == 2, "\(gateway.logLines)")
        #expect(gateway.spooled.isEmpty && gateway.outputs.isEmpty)
    }

    /// An Implicit VR Little Endian element: tag, 32-bit length, value padded to even length with `pad`.
    static func implicitElement(_ group: UInt16, _ element: UInt16, _ text: String, pad: UInt8) -> [UInt8] {
        var value = Array(text.utf8)
        if value.count % 2 == 1 { value.append(pad) }
        let length = UInt32(value.count)
        return [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(element & 0xFF), UInt8(element >> 8),
                UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)] + value
    }

    @Test func refusesAStoreOnTheVerificationContext() throws {
        let gateway = try GatewayProcess()
        let raw = try Self.associate(gateway)
        // A readable data set (Implicit VR Little Endian, context 3's syntax) claiming the Verification SOP class,
        // which negotiation accepts for everyone though it is no storage SOP class.
        let verification = "1.2.840.10008.1.1", instance = "1.2.826.0.1.3680043.10.1078.99.1"
        let data = Self.implicitElement(0x0008, 0x0016, verification, pad: 0) + Self.implicitElement(0x0008, 0x0018, instance, pad: 0)
            + Self.implicitElement(0x0010, 0x0010, "DOE^JANE", pad: 0x20)
        for pdu in MessageAssembler.fragments(command: Self.storeCommand(verification, instance), dataSet: data, contextID: 3, maxPDULength: 16384) {
            raw.send(pdu)
        }
        guard case .data(let values)? = raw.receive(), let value = values.first else {
            Issue.record("no C-STORE-RSP: \(gateway.logLines)")
            return
        }
        let response = try DIMSECommand.decode(Array(value.bytes))
        #expect(response.field == .cStoreResponse)
        #expect(response.status == 0x0122, "refused: SOP class not supported")
        raw.send(.releaseRequest)
        #expect(raw.receive() == .releaseResponse)
        #expect(gateway.events("stored").isEmpty, "\(gateway.logLines)")
        #expect(gateway.spooled.isEmpty && gateway.outputs.isEmpty)
    }

    @Test func silentConnectionBeyondTheLimitIsClosedWhenARTIMExpires() throws {
        // ARTIM is 5 s (GatewayProcess); one association fills the limit.
        let gateway = try GatewayProcess(extra: ["--max-associations", "1"])
        let holder = try Self.associate(gateway)
        let busy = try RawAssociation(port: gateway.port)
        busy.send(.associateRequest(RawAssociation.request()))
        #expect(busy.receive() == .associateReject(.localLimitExceeded))
        // Beyond the limit and silent: not counted, so only ARTIM keeps such connections from piling up.
        let silent = try RawAssociation(port: gateway.port)
        #expect(silent.isClosedByPeer(seconds: 15), "a silent connection beyond the limit stays open")
        holder.send(.releaseRequest)
        #expect(holder.receive() == .releaseResponse)
    }

    /// An Explicit VR Little Endian element with a 16-bit length (UI and the like).
    static func explicitShort(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: [UInt8]) -> [UInt8] {
        [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(element & 0xFF), UInt8(element >> 8)] + Array(vr.utf8)
            + [UInt8(value.count & 0xFF), UInt8(value.count >> 8)] + value
    }

    /// The gateway's resident memory high-water mark (VmHWM), in KiB.
    static func highWaterMark(_ gateway: GatewayProcess) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(gateway.process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test func peerSendingStoresWithoutWaitingDoesNotMakeTheGatewayHoldThemAll() throws {
        let gateway = try GatewayProcess()
        let raw = try Self.associate(gateway)
        let sopClass = "1.2.840.10008.5.1.4.1.1.2", count = 96
        let pixels = [UInt8](repeating: 0, count: 1 << 20)
        let before = Self.highWaterMark(gateway)
        // 96 instances of 1 MiB sent back to back, no response read: a conforming peer waits for each response
        // (no asynchronous operations window is negotiated), a hostile one need not.
        for number in 1...count {
            let instance = Array("1.2.826.0.1.3680043.10.1078.98.\(number)".utf8)
            let uid = instance.count % 2 == 0 ? instance : instance + [0]
            let data = Self.explicitShort(0x0008, 0x0016, "UI", Array(sopClass.utf8) + [0]) + Self.explicitShort(0x0008, 0x0018, "UI", uid)
                + [0xE0, 0x7F, 0x10, 0x00] + Array("OB".utf8) + [0, 0, 0x00, 0x00, 0x10, 0x00] + pixels
            for pdu in MessageAssembler.fragments(command: Self.storeCommand(sopClass, String(decoding: instance, as: UTF8.self)),
                                                  dataSet: data, contextID: 1, maxPDULength: 65536) {
                raw.send(pdu)
            }
        }
        var successes = 0
        for _ in 1...count {
            guard case .data(let values)? = raw.receive(seconds: 60), let value = values.first,
                  let response = try? DIMSECommand.decode(Array(value.bytes)) else { break }
            if response.status == 0x0000 { successes += 1 }
        }
        #expect(successes == count, "\(gateway.logLines.suffix(5))")
        let growth = Self.highWaterMark(gateway) - before
        // Held at once: the instance being stored, the one being assembled, what was read, and the spool processor
        // at work (measured: 13 MiB); without backpressure every instance sent (measured: 70 MiB for 64).
        #expect(growth < 32 << 10, "the gateway's memory grew by \(growth) KiB")
        raw.send(.releaseRequest)
        #expect(raw.receive() == .releaseResponse)
    }

    @Test func sigtermLeavesWhatWasWaitingInTheSpool() throws {
        let bytes = try FileIO.readAll(path: RepositoryPaths.fixtures.appendingPathComponent("ct-explicit-le.dcm").path)
        let count = 40
        let gateway = try GatewayProcess(spooled: (1...count).map { (name: String(format: "00000000000000001-1-%08d.dcm", $0), bytes: bytes) })
        // Stopped as soon as it listens: the backlog an earlier run left is not worked through before exiting.
        #expect(gateway.stop() == 0)
        let stopped = try #require(gateway.events("stopped").first, "\(gateway.logLines)")
        let left = stopped.range(of: "\"left-in-spool\":\"").map { Int(stopped[$0.upperBound...].prefix { $0.isNumber }) ?? 0 } ?? 0
        #expect(left > 0, "\(stopped)")
        // Nothing lost on the way: each instance was forwarded, quarantined, or is still in the spool.
        #expect(left + gateway.events("forwarded").count + gateway.events("quarantined").count == count, "\(gateway.logLines)")
    }

    @Test func idleAssociationIsAbortedAfterItsTimeout() throws {
        let gateway = try GatewayProcess(extra: ["--idle-timeout", "1"])
        let raw = try Self.associate(gateway)
        #expect(raw.receive(seconds: 5) == .abort(.providerNotSpecified))
        #expect(raw.isClosedByPeer())
        #expect(gateway.events("aborted").first?.contains("idle") == true, "\(gateway.logLines)")
    }
}
