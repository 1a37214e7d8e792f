import DICOMNetwork
import NIOCore
import NIOPosix

/// The acceptor side of one association (PS3.8 9.2 state machine, reduced to what an SCP needs): waits for
/// the A-ASSOCIATE-RQ under ARTIM, negotiates, reassembles messages, answers C-ECHO and hands C-STOREs to the
/// service (on the thread pool: storing blocks), sends each response only when the service has answered, and
/// ends on release, abort, a protocol error (A-ABORT sent) or the idle timer.
final class AssociationHandler: ChannelInboundHandler {
    typealias InboundIn = PDU
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingRequest
        case established
        /// Released, rejected or aborted: waiting for the peer to close (under ARTIM).
        case ending
    }

    private let configuration: AcceptorConfiguration
    private let service: any StorageService
    private let pool: NIOThreadPool
    private var state = State.awaitingRequest
    private var assembler: MessageAssembler
    private var timer: Scheduled<Void>?
    private var callingAETitle = ""
    private var peer = "unknown"
    /// Accepted contexts: ID → (abstract syntax, transfer syntax).
    private var contexts: [UInt8: (abstract: String, transfer: String)] = [:]
    private var peerMaxPDULength: UInt32 = 0
    /// The last store's completion: responses go out in request order.
    private var pending: EventLoopFuture<Void>?
    private var stored = 0
    /// Stores queued or running. While there is one the socket is not read (and the idle timer, which is for a
    /// silent peer, not a slow disk, waits): a peer that sends C-STOREs without waiting for their responses
    /// then has at most the bytes already read held here, not every instance it sends.
    private var storesInFlight = 0

    init(configuration: AcceptorConfiguration, service: any StorageService, pool: NIOThreadPool) {
        self.configuration = configuration
        self.service = service
        self.pool = pool
        assembler = MessageAssembler(maxDataSetLength: configuration.maxInstanceSize)
    }

    func channelActive(context: ChannelHandlerContext) {
        if let address = context.remoteAddress {
            peer = "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
        startTimer(context: context, configuration.artimTimeout, reason: "ARTIM expired before an A-ASSOCIATE-RQ")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if state != .ending {
            let discarded = assembler.bufferedCount
            let inside = assembler.isInsideMessage ? ", inside a message: \(discarded) bytes discarded, not acknowledged" : ""
            service.log(.aborted(callingAETitle: callingAETitle, peer: peer, reason: "connection closed by the peer without release\(inside)",
                                 discardedBytes: discarded))
        }
        state = .ending
        assembler = MessageAssembler(maxDataSetLength: configuration.maxInstanceSize)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let pdu = unwrapInboundIn(data)
        switch (state, pdu) {
        case (.awaitingRequest, .associateRequest(let request)):
            associate(request, context: context)
        case (.established, .data(let values)):
            if storesInFlight == 0 { restartIdleTimer(context: context) }
            for value in values {
                do {
                    if let message = try assembler.add(value, accepted: Set(contexts.keys)) { handle(message, context: context) }
                } catch {
                    abort(context: context, reason: .invalidParameter, because: "\(error)")
                    return
                }
            }
        case (.established, .releaseRequest):
            release(context: context)
        case (_, .abort(let reason)):
            let discarded = assembler.bufferedCount
            service.log(.aborted(callingAETitle: callingAETitle, peer: peer,
                                 reason: "A-ABORT from the peer (source \(reason.source), reason \(reason.reason))" +
                                     (assembler.isInsideMessage ? ", inside a message: \(discarded) bytes discarded, not acknowledged" : ""),
                                 discardedBytes: discarded))
            state = .ending
            assembler = MessageAssembler(maxDataSetLength: configuration.maxInstanceSize)
            context.close(promise: nil)
        case (.ending, _):
            break   // after a reject, release or abort nothing more is read (PS3.8 states 13)
        default:
            abort(context: context, reason: .unexpectedPDU, because: "unexpected PDU in this state")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: AbortReason
        if let error = error as? NetworkError, error.code == .unknownPDUType {
            reason = .unrecognizedPDU
        } else {
            reason = .invalidParameter
        }
        abort(context: context, reason: reason, because: error is NetworkError ? "\(error)" : "connection error: \(error)")
    }

    // MARK: Steps

    private func associate(_ request: AssociationRequest, context: ChannelHandlerContext) {
        timer?.cancel()
        callingAETitle = request.callingAETitle
        var negotiation = configuration.negotiate(request)
        if case .accept = negotiation, !service.admits(callingAETitle: request.callingAETitle, peerAddress: peer) {
            negotiation = .reject(.callingAETitleNotRecognized)
        }
        switch negotiation {
        case .reject(let reject):
            service.log(.rejected(callingAETitle: request.callingAETitle, peer: peer,
                                  reason: "result \(reject.result), source \(reject.source), reason \(reject.reason) (called \(request.calledAETitle))"))
            end(context: context, with: .associateReject(reject))
        case .accept(let accept):
            for (proposed, answer) in zip(request.contexts, accept.contexts) where answer.result == .acceptance {
                contexts[answer.id] = (proposed.abstractSyntax, answer.transferSyntax)
            }
            peerMaxPDULength = request.userInformation.maxPDULength
            state = .established
            service.log(.accepted(callingAETitle: request.callingAETitle, peer: peer, contexts: request.contexts.count,
                                  acceptedContexts: contexts.count))
            write(.associateAccept(accept), context: context)
            restartIdleTimer(context: context)
        }
    }

    private func handle(_ message: MessageAssembler.Message, context: ChannelHandlerContext) {
        let command = message.command
        let abstract = contexts[message.contextID]?.abstract ?? ""
        switch command.field {
        case .cEchoRequest?:
            respond(command, status: .success, contextID: message.contextID, context: context)
        case .cStoreRequest?:
            guard let data = message.dataSet, let sopClass = command.affectedSOPClassUID,
                  let sopInstance = command.affectedSOPInstanceUID, command.messageID != nil else {
                storeFailed(command, .cannotUnderstand, "C-STORE-RQ without a data set, SOP class, instance or message ID", message.contextID, context)
                return
            }
            // Verification is accepted for every caller and every SOP class filter: a store on its context
            // would slip past the storage SOP classes negotiation admits.
            guard abstract != AcceptorConfiguration.verificationSOPClass else {
                storeFailed(command, .sopClassNotSupported, "C-STORE-RQ on the Verification context", message.contextID, context)
                return
            }
            guard sopClass == abstract else {
                storeFailed(command, .dataSetDoesNotMatchSOPClass, "C-STORE-RQ SOP class is not the presentation context's", message.contextID, context)
                return
            }
            let instance = ReceivedInstance(callingAETitle: callingAETitle, peerAddress: peer, sopClassUID: sopClass,
                                            sopInstanceUID: sopInstance, transferSyntaxUID: contexts[message.contextID]?.transfer ?? "",
                                            dataSet: data)
            let service = self.service
            let loop = context.eventLoop
            let previous = pending ?? loop.makeSucceededFuture(())
            let stored = previous.flatMap { [pool] in
                pool.runIfActive(eventLoop: loop) { service.store(instance) }
            }
            storesInFlight += 1
            if storesInFlight == 1 {
                timer?.cancel()
                setReading(false, context: context)
            }
            let answered = stored.assumeIsolated().map { [self] outcome in
                if outcome.status == .success {
                    self.stored += 1
                    respond(command, status: .success, contextID: message.contextID, context: context)
                } else {
                    storeFailed(command, outcome.status, outcome.reason ?? "refused by the service", message.contextID, context)
                }
            }.flatMapErrorThrowing { [self] error in
                storeFailed(command, .outOfResources, "not stored: \(error)", message.contextID, context)
            }
            // Registered before any release waits on `pending`, so it runs first.
            answered.whenComplete { [self] _ in
                storesInFlight -= 1
                guard storesInFlight == 0, state == .established else { return }
                setReading(true, context: context)
                restartIdleTimer(context: context)
            }
            pending = answered.nonisolated()
        default:
            // Only C-ECHO and C-STORE are served: other requests are answered, not aborted (PS3.7 C.5.5).
            if command.commandField & 0x8000 == 0 {
                storeFailed(command, .unrecognizedOperation, "command field \(command.commandField) not served", message.contextID, context)
            }
        }
    }

    private func storeFailed(_ command: DIMSECommand, _ status: DIMSEStatus, _ reason: String, _ contextID: UInt8,
                             _ context: ChannelHandlerContext) {
        service.log(.storeFailed(callingAETitle: callingAETitle, peer: peer, status: status.rawValue, reason: reason))
        respond(command, status: status, contextID: contextID, context: context)
    }

    private func respond(_ request: DIMSECommand, status: DIMSEStatus, contextID: UInt8, context: ChannelHandlerContext) {
        guard state == .established, let response = request.response(status: status.rawValue) else { return }
        for pdu in MessageAssembler.fragments(command: response.encoded(), dataSet: nil, contextID: contextID,
                                              maxPDULength: peerMaxPDULength) {
            write(pdu, context: context)
        }
    }

    /// A-RELEASE-RP once every store in flight has been answered.
    private func release(context: ChannelHandlerContext) {
        timer?.cancel()
        let done = pending ?? context.eventLoop.makeSucceededFuture(())
        done.assumeIsolated().whenComplete { [self] _ in
            guard state == .established else { return }
            service.log(.released(callingAETitle: callingAETitle, peer: peer, stored: stored))
            end(context: context, with: .releaseResponse)
        }
    }

    private func abort(context: ChannelHandlerContext, reason: AbortReason, because text: String) {
        guard state != .ending else { return }
        let discarded = assembler.bufferedCount
        service.log(.aborted(callingAETitle: callingAETitle, peer: peer, reason: "A-ABORT sent: \(text)" +
                                 (assembler.isInsideMessage ? "; \(discarded) bytes of a partial message discarded, not acknowledged" : ""),
                             discardedBytes: discarded))
        assembler = MessageAssembler(maxDataSetLength: configuration.maxInstanceSize)
        end(context: context, with: .abort(reason))
    }

    /// Sends the last PDU, then waits under ARTIM for the peer to close, and closes.
    private func end(context: ChannelHandlerContext, with pdu: PDU) {
        state = .ending
        let written = write(pdu, context: context)
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.artimTimeout)) {
            context.close(promise: nil)
        }
        // A reject or abort needs no answer: close once it is written (PS3.8 9.2: AA-1, AA-2 close after sending).
        if case .releaseResponse = pdu { return }
        written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Reads from the socket on or off (auto-read: turning it on reads at once).
    private func setReading(_ on: Bool, context: ChannelHandlerContext) {
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: on)
    }

    @discardableResult
    private func write(_ pdu: PDU, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: pdu.encoded())))
    }

    private func startTimer(context: ChannelHandlerContext, _ duration: Duration, reason: String) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(duration)) { [self] in
            if state == .awaitingRequest {
                service.log(.aborted(callingAETitle: callingAETitle, peer: peer, reason: reason, discardedBytes: 0))
                state = .ending
                context.close(promise: nil)
            } else {
                abort(context: context, reason: .providerNotSpecified, because: reason)
            }
        }
    }

    private func restartIdleTimer(context: ChannelHandlerContext) {
        startTimer(context: context, configuration.idleTimeout, reason: "idle for longer than \(configuration.idleTimeout)")
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
