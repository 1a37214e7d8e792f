import DICOMCodec
import DICOMNetwork
import NIOCore
import NIOPosix

/// One instance to send by C-STORE: its SOP class and instance, and its data set encoded in `transferSyntaxUID`.
public struct OutgoingInstance: Sendable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var transferSyntaxUID: String
    public var dataSet: [UInt8]

    public init(sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String, dataSet: [UInt8]) {
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntaxUID = transferSyntaxUID
        self.dataSet = dataSet
    }
}

/// Where a C-STORE SCU sends: the peer's AE title and address, and this node's calling AE title.
public struct StoreDestination: Sendable, Hashable {
    public var calledAETitle: String
    public var host: String
    public var port: Int
    public var callingAETitle: String

    public init(calledAETitle: String, host: String, port: Int, callingAETitle: String) {
        self.calledAETitle = calledAETitle
        self.host = host
        self.port = port
        self.callingAETitle = callingAETitle
    }
}

/// A C-STORE SCU (PS3.4 B.2, PS3.7 9.1.1): one association per call, one presentation context per SOP class and
/// transfer syntax, each instance sent in its own transfer syntax (nothing is converted), then A-RELEASE.
public enum StoreSCU {
    /// Sends `instances` and returns each one's C-STORE status, in order.
    /// - Parameters:
    ///   - maxPDULength: announced to the peer, and the limit on what it sends back.
    ///   - timeout: for the whole association.
    /// - Throws: ``NetworkError`` when the association is rejected or aborted, a context is refused, a reply is
    ///   malformed or the time runs out; the connection's error when it cannot be made.
    public static func send(_ instances: [OutgoingInstance], to destination: StoreDestination, implementation: ImplementationIdentity,
                            maxPDULength: UInt32 = 65536, timeout: Duration = .seconds(60)) async throws -> [DIMSEStatus] {
        try await withThrowingTaskGroup(of: [DIMSEStatus]?.self) { group in
            group.addTask {
                try await associate(instances, destination: destination, implementation: implementation, maxPDULength: maxPDULength)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let statuses = first else {
                throw NetworkError(.timeout, "C-STORE association with \(destination.calledAETitle) at \(destination.host):\(destination.port) took longer than \(timeout)")
            }
            return statuses
        }
    }

    private static func associate(_ instances: [OutgoingInstance], destination: StoreDestination,
                                  implementation: ImplementationIdentity, maxPDULength: UInt32) async throws -> [DIMSEStatus] {
        // One context per (SOP class, transfer syntax), odd IDs from 1 (PS3.8 9.3.2.2); at most 128.
        var pairs: [String] = []
        for instance in instances where !pairs.contains(instance.sopClassUID + " " + instance.transferSyntaxUID) {
            pairs.append(instance.sopClassUID + " " + instance.transferSyntaxUID)
        }
        guard pairs.count <= 128 else { throw NetworkError(.unexpectedPDU, "more than 128 SOP class and transfer syntax pairs in one association") }
        let contexts = pairs.enumerated().map { index, pair in
            let parts = pair.split(separator: " ").map(String.init)
            return ProposedContext(id: UInt8(2 * index + 1), abstractSyntax: parts[0], transferSyntaxes: [parts[1]])
        }
        let request = AssociationRequest(calledAETitle: destination.calledAETitle, callingAETitle: destination.callingAETitle,
                                         contexts: contexts,
                                         userInformation: UserInformation(maxPDULength: maxPDULength, implementationClassUID: implementation.classUID,
                                                                          implementationVersionName: implementation.versionName))
        let limits = PDU.Limits(maxDataLength: maxPDULength)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: destination.host, port: destination.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PDUFrameDecoder(limits: limits)))
                    return try NIOAsyncChannel<PDU, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            func write(_ pdu: PDU) async throws { try await outbound.write(ByteBuffer(bytes: pdu.encoded())) }
            func next() async throws -> PDU {
                guard let pdu = try await replies.next() else {
                    throw NetworkError(.unexpectedPDU, "the peer closed the connection")
                }
                if case .abort(let reason) = pdu {
                    throw NetworkError(.unexpectedPDU, "A-ABORT from the peer (source \(reason.source), reason \(reason.reason))")
                }
                return pdu
            }
            try await write(.associateRequest(request))
            let accept: AssociationAccept
            switch try await next() {
            case .associateAccept(let answer): accept = answer
            case .associateReject(let reject):
                throw NetworkError(.unexpectedPDU, "association rejected (result \(reject.result), source \(reject.source), reason \(reject.reason))")
            default: throw NetworkError(.unexpectedPDU, "neither A-ASSOCIATE-AC nor -RJ in answer to the request")
            }
            var accepted: [String: UInt8] = [:]
            for answer in accept.contexts where answer.result == .acceptance {
                if let proposed = contexts.first(where: { $0.id == answer.id }) {
                    accepted[proposed.abstractSyntax + " " + (proposed.transferSyntaxes.first ?? "")] = answer.id
                }
            }
            var statuses: [DIMSEStatus] = []
            var messageID: UInt16 = 0
            for instance in instances {
                guard let id = accepted[instance.sopClassUID + " " + instance.transferSyntaxUID] else {
                    try await write(.abort(.user))
                    throw NetworkError(.unexpectedPDU, "the peer did not accept SOP class \(instance.sopClassUID) in transfer syntax \(instance.transferSyntaxUID)")
                }
                messageID &+= 1
                let command = DIMSECommand(commandField: DIMSECommand.Field.cStoreRequest.rawValue, affectedSOPClassUID: instance.sopClassUID,
                                           messageID: messageID, priority: 0, hasDataSet: true, affectedSOPInstanceUID: instance.sopInstanceUID)
                for pdu in MessageAssembler.fragments(command: command.encoded(), dataSet: instance.dataSet, contextID: id,
                                                      maxPDULength: accept.userInformation.maxPDULength) {
                    try await write(pdu)
                }
                var assembler = MessageAssembler(maxDataSetLength: 0)
                var response: DIMSECommand?
                while response == nil {
                    guard case .data(let values) = try await next() else {
                        throw NetworkError(.unexpectedPDU, "expected the C-STORE-RSP")
                    }
                    for value in values {
                        if let message = try assembler.add(value, accepted: Set(accepted.values)) { response = message.command }
                    }
                }
                guard let response, response.field == .cStoreResponse, response.messageIDBeingRespondedTo == messageID,
                      let status = response.status else {
                    throw NetworkError(.malformedCommand, "the reply is not the C-STORE-RSP to message \(messageID)")
                }
                statuses.append(DIMSEStatus(rawValue: status))
            }
            try await write(.releaseRequest)
            guard case .releaseResponse = try await next() else {
                throw NetworkError(.unexpectedPDU, "expected A-RELEASE-RP")
            }
            return statuses
        }
    }
}
