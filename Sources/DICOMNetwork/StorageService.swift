/// One instance received by C-STORE, complete, not yet acknowledged.
public struct ReceivedInstance: Sendable {
    /// Who sent it: the calling AE title and the peer's address (`host:port`).
    public var callingAETitle: String
    public var peerAddress: String
    /// Affected SOP Class and Instance UIDs of the C-STORE-RQ (PS3.7 9.3.1.1).
    public var sopClassUID: String
    public var sopInstanceUID: String
    /// The presentation context's transfer syntax, in which `dataSet` is encoded.
    public var transferSyntaxUID: String
    /// The data set bytes exactly as received.
    public var dataSet: [UInt8]

    public init(callingAETitle: String, peerAddress: String, sopClassUID: String, sopInstanceUID: String,
                transferSyntaxUID: String, dataSet: [UInt8]) {
        self.callingAETitle = callingAETitle
        self.peerAddress = peerAddress
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntaxUID = transferSyntaxUID
        self.dataSet = dataSet
    }
}

/// What the acceptor reports, one line each (never a value of a received data set).
public enum AssociationEvent: Sendable {
    case accepted(callingAETitle: String, peer: String, contexts: Int, acceptedContexts: Int)
    case rejected(callingAETitle: String, peer: String, reason: String)
    case released(callingAETitle: String, peer: String, stored: Int)
    /// Aborted by the peer or by this node (`reason` says which and why); `discardedBytes` of a partial
    /// message were dropped, unacknowledged.
    case aborted(callingAETitle: String, peer: String, reason: String, discardedBytes: Int)
    /// A C-STORE answered with a status other than success, and why.
    case storeFailed(callingAETitle: String, peer: String, status: UInt16, reason: String)
}

/// Where an acceptor hands what it receives. Called from a thread pool: ``store(_:)`` may block (write, fsync).
public protocol StorageService: Sendable {
    /// Whether a caller may associate, after the AE titles passed ``AcceptorConfiguration/negotiate(_:)``.
    func admits(callingAETitle: String, peerAddress: String) -> Bool
    /// Stores an instance and returns the C-STORE status to send: success only once it is durable.
    func store(_ instance: ReceivedInstance) -> StoreOutcome
    /// Told each event of each association.
    func log(_ event: AssociationEvent)
}

/// The C-STORE status to send and, when it is not success, why (for the log).
public struct StoreOutcome: Sendable {
    public var status: DIMSEStatus
    public var reason: String?

    public init(status: DIMSEStatus, reason: String? = nil) {
        self.status = status
        self.reason = reason
    }
}

/// DIMSE status codes (PS3.7 Annex C; C-STORE's in PS3.4 B.2.3).
public struct DIMSEStatus: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let success = DIMSEStatus(rawValue: 0x0000)
    /// Refused: Out of Resources (C-STORE, PS3.4 B.2.3: A7xx).
    public static let outOfResources = DIMSEStatus(rawValue: 0xA700)
    /// Error: Data Set does not match SOP Class (A9xx).
    public static let dataSetDoesNotMatchSOPClass = DIMSEStatus(rawValue: 0xA900)
    /// Error: Cannot understand (Cxxx).
    public static let cannotUnderstand = DIMSEStatus(rawValue: 0xC000)
    /// Refused: SOP Class not supported (PS3.7 C.5.20).
    public static let sopClassNotSupported = DIMSEStatus(rawValue: 0x0122)
    /// Unrecognized operation (PS3.7 C.5.5).
    public static let unrecognizedOperation = DIMSEStatus(rawValue: 0x0211)
    /// Processing failure (PS3.7 C.5.1).
    public static let processingFailure = DIMSEStatus(rawValue: 0x0110)
}

extension DIMSEStatus {
    /// Success, or a warning (Bxxx, PS3.4 B.2.3): the peer took the instance.
    public var isSuccessOrWarning: Bool { rawValue == 0x0000 || rawValue & 0xF000 == 0xB000 }

    /// A failure that may pass when the same request is sent again later: Refused: Out of Resources (A7xx),
    /// Processing failure (0110), Resource limitation (0213, PS3.7 C.5.19). The others (A9xx, Cxxx, 0122, 0124...)
    /// say the peer will not take this instance. Also used for STOW-RS Failure Reasons (PS3.18 10.5.3).
    public var isTransientFailure: Bool { rawValue & 0xFF00 == 0xA700 || rawValue == 0x0110 || rawValue == 0x0213 }
}
