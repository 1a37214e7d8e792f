/// A proposed presentation context (PS3.8 9.3.2.2): an abstract syntax and the transfer syntaxes the requestor
/// can use for it, under an odd context ID.
public struct ProposedContext: Sendable, Hashable {
    public var id: UInt8
    public var abstractSyntax: String
    public var transferSyntaxes: [String]

    public init(id: UInt8, abstractSyntax: String, transferSyntaxes: [String]) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
    }
}

/// The User Information item's fields this upper layer reads and writes (PS3.7 D.3.3); other sub-items
/// (asynchronous operations, role selection, extended negotiation) are read past and not answered, which PS3.7
/// D.3.3 lets an acceptor do (their defaults then apply).
public struct UserInformation: Sendable, Hashable {
    /// Maximum Length Received (PS3.8 D.1): the largest P-DATA-TF variable field the sender of the item takes;
    /// 0 means no limit.
    public var maxPDULength: UInt32
    public var implementationClassUID: String
    public var implementationVersionName: String?

    public init(maxPDULength: UInt32, implementationClassUID: String, implementationVersionName: String?) {
        self.maxPDULength = maxPDULength
        self.implementationClassUID = implementationClassUID
        self.implementationVersionName = implementationVersionName
    }
}

/// A-ASSOCIATE-RQ (PS3.8 9.3.2):
/// ```
/// 01 00 length(4) | protocol version(2) reserved(2) called AE(16) calling AE(16) reserved(32)
/// | application context item (10H) | presentation context items (20H)... | user information item (50H)
/// ```
public struct AssociationRequest: Sendable, Hashable {
    public var protocolVersion: UInt16 = 1
    public var calledAETitle: String
    public var callingAETitle: String
    public var applicationContext: String = AssociationRequest.dicomApplicationContext
    public var contexts: [ProposedContext]
    public var userInformation: UserInformation

    /// The DICOM Application Context Name (PS3.7 A.2.1).
    public static let dicomApplicationContext = "1.2.840.10008.3.1.1.1"

    public init(calledAETitle: String, callingAETitle: String, contexts: [ProposedContext], userInformation: UserInformation) {
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.contexts = contexts
        self.userInformation = userInformation
    }
}

/// An accepted or refused presentation context (PS3.8 9.3.3.2).
public struct AcceptedContext: Sendable, Hashable {
    /// Result/Reason of PS3.8 Table 9-18.
    public enum Result: UInt8, Sendable {
        case acceptance = 0
        case userRejection = 1
        case noReason = 2
        case abstractSyntaxNotSupported = 3
        case transferSyntaxesNotSupported = 4
    }

    public var id: UInt8
    public var result: Result
    /// The transfer syntax chosen; meaningless (and sent as the first proposed) unless accepted.
    public var transferSyntax: String

    public init(id: UInt8, result: Result, transferSyntax: String) {
        self.id = id
        self.result = result
        self.transferSyntax = transferSyntax
    }
}

/// A-ASSOCIATE-AC (PS3.8 9.3.3): the request's fixed fields echoed, then the results per context.
public struct AssociationAccept: Sendable, Hashable {
    public var protocolVersion: UInt16 = 1
    public var calledAETitle: String
    public var callingAETitle: String
    public var applicationContext: String = AssociationRequest.dicomApplicationContext
    public var contexts: [AcceptedContext]
    public var userInformation: UserInformation

    public init(calledAETitle: String, callingAETitle: String, contexts: [AcceptedContext], userInformation: UserInformation) {
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.contexts = contexts
        self.userInformation = userInformation
    }
}

/// A-ASSOCIATE-RJ (PS3.8 9.3.4): result, source and reason.
public struct AssociationReject: Sendable, Hashable {
    /// 1 rejected-permanent, 2 rejected-transient.
    public var result: UInt8
    /// 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation).
    public var source: UInt8
    public var reason: UInt8

    public init(result: UInt8, source: UInt8, reason: UInt8) {
        self.result = result
        self.source = source
        self.reason = reason
    }

    /// The calling AE title is not among those allowed (service-user, reason 3).
    public static let callingAETitleNotRecognized = AssociationReject(result: 1, source: 1, reason: 3)
    /// The called AE title is not this node's (service-user, reason 7).
    public static let calledAETitleNotRecognized = AssociationReject(result: 1, source: 1, reason: 7)
    /// Not the DICOM application context (service-user, reason 2).
    public static let applicationContextNotSupported = AssociationReject(result: 1, source: 1, reason: 2)
    /// A protocol version without bit 0 (service-provider ACSE, reason 2).
    public static let protocolVersionNotSupported = AssociationReject(result: 1, source: 2, reason: 2)
    /// Too many associations now (service-provider presentation, reason 2: local limit exceeded), transient.
    public static let localLimitExceeded = AssociationReject(result: 2, source: 3, reason: 2)
}

/// One Presentation Data Value item of a P-DATA-TF (PS3.8 9.3.5.1, E.2): a fragment of a command or data set.
public struct PresentationDataValue: Sendable, Hashable {
    public var contextID: UInt8
    /// Message control header bit 0.
    public var isCommand: Bool
    /// Message control header bit 1.
    public var isLast: Bool
    public var bytes: ArraySlice<UInt8>

    public init(contextID: UInt8, isCommand: Bool, isLast: Bool, bytes: ArraySlice<UInt8>) {
        self.contextID = contextID
        self.isCommand = isCommand
        self.isLast = isLast
        self.bytes = bytes
    }
}

/// A-ABORT's source and reason (PS3.8 9.3.8, Table 9-26).
public struct AbortReason: Sendable, Hashable {
    /// 0 service-user, 2 service-provider.
    public var source: UInt8
    public var reason: UInt8

    public init(source: UInt8, reason: UInt8) {
        self.source = source
        self.reason = reason
    }

    /// Service-user initiated, no reason given.
    public static let user = AbortReason(source: 0, reason: 0)
    /// Service-provider, reason not specified (a timer ran out).
    public static let providerNotSpecified = AbortReason(source: 2, reason: 0)
    /// Service-provider: unrecognized PDU.
    public static let unrecognizedPDU = AbortReason(source: 2, reason: 1)
    /// Service-provider: unexpected PDU.
    public static let unexpectedPDU = AbortReason(source: 2, reason: 2)
    /// Service-provider: unrecognized PDU parameter.
    public static let unrecognizedParameter = AbortReason(source: 2, reason: 4)
    /// Service-provider: invalid PDU parameter value (a length beyond the limit, a malformed item).
    public static let invalidParameter = AbortReason(source: 2, reason: 6)
}
