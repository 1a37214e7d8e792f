import DICOMCodec

/// What an association acceptor (SCP) announces, accepts and bounds.
public struct AcceptorConfiguration: Sendable {
    /// This node's AE title: a request calling another is rejected (PS3.8 reason 7).
    public var aeTitle: String
    /// Calling AE titles allowed to associate; nil admits any.
    public var allowedCallers: Set<String>?
    /// Maximum Length Received announced, and the largest P-DATA-TF taken: a longer PDU aborts the association.
    public var maxPDULength: UInt32 = 65536
    /// The largest data set taken in one C-STORE (the instance size limit): a longer one aborts the association.
    public var maxInstanceSize = 1 << 30
    /// Implementation Class UID and Version Name announced (PS3.7 D.3.3.2).
    public var implementation: ImplementationIdentity
    /// Transfer syntaxes accepted for storage, by UID; the requestor's order of preference decides among them.
    public var transferSyntaxes: Set<String>
    /// Whether an abstract syntax (SOP class) is accepted for C-STORE; Verification is always accepted.
    public var acceptsSOPClass: @Sendable (String) -> Bool
    /// ARTIM (PS3.8 9.1.5): how long a connection may wait for its A-ASSOCIATE-RQ, and the acceptor for the
    /// peer to close after a reject or release.
    public var artimTimeout: Duration = .seconds(30)
    /// How long an established association may stay silent before it is aborted.
    public var idleTimeout: Duration = .seconds(120)
    /// Associations at once; more are rejected (transient, local limit exceeded).
    public var maxAssociations = 32

    public init(aeTitle: String, implementation: ImplementationIdentity, transferSyntaxes: Set<String>,
                acceptsSOPClass: @escaping @Sendable (String) -> Bool) {
        self.aeTitle = aeTitle
        self.implementation = implementation
        self.transferSyntaxes = transferSyntaxes
        self.acceptsSOPClass = acceptsSOPClass
    }

    /// The Verification SOP Class (PS3.4 A.4), for C-ECHO.
    public static let verificationSOPClass = "1.2.840.10008.1.1"
    /// Implicit VR Little Endian, the default transfer syntax every node supports (PS3.5 10.1).
    static let implicitLittleEndian = "1.2.840.10008.1.2"
    static let explicitLittleEndian = "1.2.840.10008.1.2.1"

    /// Answers an A-ASSOCIATE-RQ: a reject, or the accept with each context's result and transfer syntax.
    /// The AE titles are checked here; the caller's address is the service's to judge.
    public func negotiate(_ request: AssociationRequest) -> Negotiation {
        guard request.protocolVersion & 1 == 1 else { return .reject(.protocolVersionNotSupported) }
        guard request.applicationContext == AssociationRequest.dicomApplicationContext else {
            return .reject(.applicationContextNotSupported)
        }
        guard request.calledAETitle == aeTitle else { return .reject(.calledAETitleNotRecognized) }
        if let allowedCallers, !allowedCallers.contains(request.callingAETitle) {
            return .reject(.callingAETitleNotRecognized)
        }
        let contexts = request.contexts.map(answer)
        let accept = AssociationAccept(
            calledAETitle: request.calledAETitle, callingAETitle: request.callingAETitle, contexts: contexts,
            userInformation: UserInformation(maxPDULength: maxPDULength, implementationClassUID: implementation.classUID,
                                             implementationVersionName: implementation.versionName))
        return .accept(accept)
    }

    /// One context's result: the first transfer syntax the requestor proposes that is accepted.
    private func answer(_ context: ProposedContext) -> AcceptedContext {
        let first = context.transferSyntaxes.first ?? ""
        let isVerification = context.abstractSyntax == Self.verificationSOPClass
        guard isVerification || acceptsSOPClass(context.abstractSyntax) else {
            return AcceptedContext(id: context.id, result: .abstractSyntaxNotSupported, transferSyntax: first)
        }
        let accepted: Set<String> = isVerification ? [Self.implicitLittleEndian, Self.explicitLittleEndian] : transferSyntaxes
        guard let chosen = context.transferSyntaxes.first(where: accepted.contains) else {
            return AcceptedContext(id: context.id, result: .transferSyntaxesNotSupported, transferSyntax: first)
        }
        return AcceptedContext(id: context.id, result: .acceptance, transferSyntax: chosen)
    }
}

/// The answer to an association request.
public enum Negotiation: Sendable, Hashable {
    case accept(AssociationAccept)
    case reject(AssociationReject)
}
