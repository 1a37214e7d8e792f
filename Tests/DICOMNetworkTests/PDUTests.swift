import DICOMNetwork
import Testing

@Suite struct PDUTests {
    static let limits = PDU.Limits(maxDataLength: 16384)

    static let request = AssociationRequest(
        calledAETitle: "GATEWAY", callingAETitle: "MODALITY",
        contexts: [ProposedContext(id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2",
                                   transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
                   ProposedContext(id: 3, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"])],
        userInformation: UserInformation(maxPDULength: 16384, implementationClassUID: "1.2.3.4", implementationVersionName: "TEST_1"))

    @Test func associateRequestRoundTrips() throws {
        let bytes = PDU.associateRequest(Self.request).encoded()
        // -- 0 -- type 01, reserved, length; -- 6 -- protocol version 1
        #expect(Array(bytes.prefix(8)) == [0x01, 0x00] + be32(bytes.count - 6) + [0x00, 0x01])
        // -- 10 -- called AE title, space padded to 16
        #expect(Array(bytes[10..<26]) == Array("GATEWAY         ".utf8))
        #expect(try PDU.decode(bytes[...], limits: Self.limits) == .associateRequest(Self.request))
    }

    @Test func otherPDUsRoundTrip() throws {
        let accept = AssociationAccept(calledAETitle: "GATEWAY", callingAETitle: "MODALITY",
                                       contexts: [AcceptedContext(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2.1"),
                                                  AcceptedContext(id: 3, result: .abstractSyntaxNotSupported, transferSyntax: "1.2.840.10008.1.2")],
                                       userInformation: UserInformation(maxPDULength: 0, implementationClassUID: "1.2.3", implementationVersionName: nil))
        let data = PDU.data([PresentationDataValue(contextID: 1, isCommand: true, isLast: false, bytes: [1, 2, 3][...]),
                             PresentationDataValue(contextID: 1, isCommand: false, isLast: true, bytes: [][...])])
        for pdu in [PDU.associateAccept(accept), .associateReject(.callingAETitleNotRecognized), data, .releaseRequest,
                    .releaseResponse, .abort(.invalidParameter)] {
            #expect(try PDU.decode(pdu.encoded()[...], limits: Self.limits) == pdu)
        }
        #expect(PDU.releaseRequest.encoded() == [0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0])
        #expect(PDU.associateReject(.callingAETitleNotRecognized).encoded() == [0x03, 0, 0, 0, 0, 4, 0, 1, 1, 3])
    }

    @Test func refusesPDULongerThanLimitFromItsHeader() throws {
        // Only the header: the length is refused before any of the variable field is awaited.
        let header: [UInt8] = [0x04, 0x00] + be32(16385)
        #expect(throws: NetworkError(.pduTooLong)) { try PDU.header(header[...], limits: Self.limits) }
        #expect(throws: NetworkError(.pduTooLong)) { try PDU.header(([0x01, 0x00] + be32(70000))[...], limits: Self.limits) }
        #expect(try PDU.header(([0x04, 0x00] + be32(16384))[...], limits: Self.limits)?.length == 16384)
    }

    @Test(arguments: [
        [UInt8]([0x08, 0, 0, 0, 0, 0]),                                  // unknown type
        [0x05, 0, 0, 0, 0, 3, 0, 0, 0],                                   // release of 3 bytes
        [0x04, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 3],                          // PDV item length 9, 2 bytes left
        [0x04, 0, 0, 0, 0, 5, 0, 0, 0, 1, 1],                             // PDV item length 1
        [0x04, 0, 0, 0, 0, 0],                                            // P-DATA-TF without a PDV
        [0x07, 0, 0, 0, 0, 4, 0, 0, 2],                                   // abort shorter than its length says
    ])
    func refusesMalformedPDUs(_ bytes: [UInt8]) {
        #expect(throws: NetworkError.self) { try PDU.decode(bytes[...], limits: Self.limits) }
    }

    @Test func refusesRequestItemRunningPastThePDU() {
        var bytes = PDU.associateRequest(Self.request).encoded()
        // The application context item's length (at 74 + 2) made larger than what follows.
        bytes[76] = 0xFF
        bytes[77] = 0xFF
        #expect(throws: NetworkError(.malformedPDU)) { try PDU.decode(bytes[...], limits: Self.limits) }
    }

    @Test func refusesRequestWithoutUserInformation() {
        var request = PDU.associateRequest(Self.request).encoded()
        // Drop the user information item (the last one) and fix the PDU length.
        let userItem = request.count - (request.lastIndex(of: 0x50).map { request.count - $0 } ?? 0)
        request = Array(request[..<userItem])
        request.replaceSubrange(2..<6, with: be32(request.count - 6))
        #expect(throws: NetworkError(.malformedPDU)) { try PDU.decode(request[...], limits: Self.limits) }
    }
}

/// A 32-bit big-endian length.
func be32(_ value: Int) -> [UInt8] {
    [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}
