import DICOMCodec
import DICOMNetwork
import Testing

@Suite struct NegotiationTests {
    static var configuration: AcceptorConfiguration {
        var configuration = AcceptorConfiguration(
            aeTitle: "GATEWAY", implementation: ImplementationIdentity(classUID: "1.2.3", versionName: "X"),
            transferSyntaxes: ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.50"],
            acceptsSOPClass: { $0 == "1.2.840.10008.5.1.4.1.1.2" })
        configuration.allowedCallers = ["MODALITY"]
        configuration.maxPDULength = 32768
        return configuration
    }

    static func request(called: String = "GATEWAY", calling: String = "MODALITY", contexts: [ProposedContext]) -> AssociationRequest {
        AssociationRequest(calledAETitle: called, callingAETitle: calling, contexts: contexts,
                           userInformation: UserInformation(maxPDULength: 16384, implementationClassUID: "9.9", implementationVersionName: nil))
    }

    @Test func choosesTheFirstProposedTransferSyntaxItAccepts() throws {
        let contexts = [
            ProposedContext(id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2", transferSyntaxes: ["1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2"]),
            ProposedContext(id: 3, abstractSyntax: "1.2.840.10008.5.1.4.1.1.4", transferSyntaxes: ["1.2.840.10008.1.2"]),
            ProposedContext(id: 5, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2", transferSyntaxes: ["1.2.840.10008.1.2.4.100"]),
            ProposedContext(id: 7, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"]),
        ]
        guard case .accept(let accept) = Self.configuration.negotiate(Self.request(contexts: contexts)) else {
            Issue.record("rejected")
            return
        }
        #expect(accept.contexts.map(\.result) == [.acceptance, .abstractSyntaxNotSupported, .transferSyntaxesNotSupported, .acceptance])
        #expect(accept.contexts[0].transferSyntax == "1.2.840.10008.1.2.4.50")
        #expect(accept.userInformation.maxPDULength == 32768)
        #expect(accept.userInformation.implementationClassUID == "1.2.3")
    }

    @Test func rejectsUnknownCallerAndWrongCalledTitle() {
        let contexts = [ProposedContext(id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"])]
        #expect(Self.configuration.negotiate(Self.request(calling: "INTRUDER", contexts: contexts)) == .reject(.callingAETitleNotRecognized))
        #expect(Self.configuration.negotiate(Self.request(called: "OTHER", contexts: contexts)) == .reject(.calledAETitleNotRecognized))
    }
}
