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
        // By the time success is answered, the instance is in the spool or already forwarded.
        #expect(gateway.spooled.count + gateway.outputs.count == 1)
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

    @Test func idleAssociationIsAbortedAfterItsTimeout() throws {
        let gateway = try GatewayProcess(extra: ["--idle-timeout", "1"])
        let raw = try Self.associate(gateway)
        #expect(raw.receive(seconds: 5) == .abort(.providerNotSpecified))
        #expect(raw.isClosedByPeer())
        #expect(gateway.events("aborted").first?.contains("idle") == true, "\(gateway.logLines)")
    }
}
