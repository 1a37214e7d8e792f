import DICOMNetwork
import NIOCore
import NIOPosix
import Synchronization

/// A storage SCP listening on a TCP port: each connection gets the PDU decoder and an ``AssociationHandler``.
/// C-STOREs go to the ``StorageService`` on a thread pool of its own, so a slow disk never blocks the event loop.
public final class StorageServer: Sendable {
    /// The port listened on (the one given, or the one the system chose for port 0).
    public let port: Int
    private let listener: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    private let connections: Connections

    /// Connections open now, by their object identity, so that ``stop(grace:)`` can close them.
    private final class Connections: Sendable {
        let open = Mutex<[ObjectIdentifier: any Channel]>([:])
        var count: Int { open.withLock { $0.count } }
    }

    private init(port: Int, listener: any Channel, group: MultiThreadedEventLoopGroup, pool: NIOThreadPool, connections: Connections) {
        self.port = port
        self.listener = listener
        self.group = group
        self.pool = pool
        self.connections = connections
    }

    /// Binds `host:port` and starts accepting associations.
    /// - Parameters:
    ///   - storeThreads: threads running ``StorageService/store(_:)`` (each blocks on a write and fsync).
    /// - Throws: the bind's error (port in use, address not available).
    public static func start(host: String, port: Int, configuration: AcceptorConfiguration, service: any StorageService,
                             storeThreads: Int = 4) async throws -> StorageServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = NIOThreadPool(numberOfThreads: storeThreads)
        pool.start()
        let connections = Connections()
        let limits = PDU.Limits(maxDataLength: configuration.maxPDULength)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                let admitted = connections.open.withLock { open -> Bool in
                    guard open.count < configuration.maxAssociations else { return false }
                    open[id] = channel
                    return true
                }
                channel.closeFuture.whenComplete { _ in _ = connections.open.withLock { $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(PDUFrameDecoder(limits: limits)))
                    if admitted {
                        try handlers.addHandler(AssociationHandler(configuration: configuration, service: service, pool: pool))
                    } else {
                        try handlers.addHandler(BusyHandler(service: service, artimTimeout: configuration.artimTimeout))
                    }
                }
            }
        do {
            let listener = try await bootstrap.bind(host: host, port: port).get()
            return StorageServer(port: listener.localAddress?.port ?? port, listener: listener, group: group, pool: pool,
                                 connections: connections)
        } catch {
            try? await pool.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Associations open now.
    public var openAssociations: Int { connections.count }

    /// Stops accepting, gives the open associations up to `grace` to end by themselves (release or abort by
    /// the peer), closes what is left (their partial instances are dropped, unacknowledged), waits for the
    /// stores in flight, and shuts the threads down.
    public func stop(grace: Duration = .seconds(10)) async {
        try? await listener.close()
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while connections.count > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let left = connections.open.withLock { Array($0.values) }
        for channel in left { try? await channel.close() }
        try? await pool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// Answers the A-ASSOCIATE-RQ of a connection beyond ``AcceptorConfiguration/maxAssociations`` with a
/// transient reject, then closes; one that sends no request is closed when ARTIM expires. These connections are
/// not counted, so without ARTIM a peer could hold any number of them open, silent, until descriptors run out.
private final class BusyHandler: ChannelInboundHandler {
    typealias InboundIn = PDU
    typealias OutboundOut = ByteBuffer
    private let service: any StorageService
    private let artimTimeout: Duration

    init(service: any StorageService, artimTimeout: Duration) {
        self.service = service
        self.artimTimeout = artimTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(artimTimeout)) {
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let pdu = unwrapInboundIn(data)
        let reply: PDU
        if case .associateRequest(let request) = pdu {
            service.log(.rejected(callingAETitle: request.callingAETitle, peer: "\(context.remoteAddress.map { "\($0)" } ?? "?")",
                                  reason: "too many associations at once"))
            reply = .associateReject(.localLimitExceeded)
        } else {
            reply = .abort(.unexpectedPDU)
        }
        let buffer = context.channel.allocator.buffer(bytes: reply.encoded())
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
