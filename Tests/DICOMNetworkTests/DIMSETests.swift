import DICOMNetwork
import Testing

@Suite struct DIMSETests {
    static let store = DIMSECommand(commandField: DIMSECommand.Field.cStoreRequest.rawValue,
                                    affectedSOPClassUID: "1.2.840.10008.5.1.4.1.1.2", messageID: 7, priority: 0,
                                    hasDataSet: true, affectedSOPInstanceUID: "1.2.3.4.5")

    @Test func commandSetRoundTripsWithGroupLength() throws {
        let bytes = Self.store.encoded()
        // -- 0 -- (0000,0000) UL, implicit: tag, length 4, the group's length after this element
        #expect(Array(bytes.prefix(8)) == [0, 0, 0, 0, 4, 0, 0, 0])
        let groupLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        #expect(groupLength == bytes.count - 12)
        #expect(try DIMSECommand.decode(bytes) == Self.store)
    }

    @Test func responseEchoesTheRequest() throws {
        let response = try #require(Self.store.response(status: 0xA700))
        #expect(response.field == .cStoreResponse)
        #expect(response.messageIDBeingRespondedTo == 7)
        #expect(response.affectedSOPInstanceUID == "1.2.3.4.5")
        #expect(!response.hasDataSet)
        #expect(try DIMSECommand.decode(response.encoded()).status == 0xA700)
    }

    @Test func refusesCommandWithoutCommandField() {
        // (0000,0800) US 0101 only.
        let bytes: [UInt8] = [0x00, 0x00, 0x00, 0x08, 2, 0, 0, 0, 0x01, 0x01]
        #expect(throws: NetworkError(.malformedCommand)) { try DIMSECommand.decode(bytes) }
        #expect(throws: NetworkError(.malformedCommand)) { try DIMSECommand.decode([0x00, 0x00, 0x00, 0x08, 0xFF, 0xFF, 0xFF, 0x7F]) }
    }

    @Test func reassemblesFragmentsAndCutsToThePeersMaximum() throws {
        let data = (0..<1000).map { UInt8($0 & 0xFF) }
        let pdus = MessageAssembler.fragments(command: Self.store.encoded(), dataSet: data, contextID: 1, maxPDULength: 256)
        var assembler = MessageAssembler(maxDataSetLength: 4096)
        var messages: [MessageAssembler.Message] = []
        for pdu in pdus {
            #expect(pdu.encoded().count - 6 <= 256)
            guard case .data(let values) = pdu else { continue }
            for value in values { if let message = try assembler.add(value, accepted: [1]) { messages.append(message) } }
        }
        #expect(messages.count == 1)
        #expect(messages.first?.dataSet == data)
        #expect(messages.first?.command == Self.store)
        #expect(!assembler.isInsideMessage)
    }

    @Test func refusesDataSetBeyondTheLimitAndUnacceptedContexts() throws {
        let pdus = MessageAssembler.fragments(command: Self.store.encoded(), dataSet: [UInt8](repeating: 1, count: 5000),
                                              contextID: 1, maxPDULength: 1024)
        var assembler = MessageAssembler(maxDataSetLength: 4096)
        #expect(throws: NetworkError(.messageTooLong)) {
            for case .data(let values) in pdus { for value in values { _ = try assembler.add(value, accepted: [1]) } }
        }
        var other = MessageAssembler(maxDataSetLength: 4096)
        let value = PresentationDataValue(contextID: 3, isCommand: true, isLast: true, bytes: Self.store.encoded()[...])
        #expect(throws: NetworkError(.badFragment)) { try other.add(value, accepted: [1]) }
        let data = PresentationDataValue(contextID: 1, isCommand: false, isLast: true, bytes: [0][...])
        #expect(throws: NetworkError(.badFragment)) { try other.add(data, accepted: [1]) }
    }
}
