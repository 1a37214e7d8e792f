import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client on SwiftNIO's NIOHTTP1 (POST and GET): one request per connection (`Connection: close`), the
/// whole body sent with its Content-Length, the response read up to a size limit, everything within a time limit.
/// It is all STOW-RS needs; async-http-client (pooling, redirects, TLS, chunked uploads) is not needed for that.
public enum HTTPClient {
    /// POSTs `body` to `endpoint.path + path` and returns the response.
    /// - Parameters:
    ///   - headers: extra request headers (Content-Type, Accept...); Host, Content-Length and Connection are set here.
    ///   - maxResponseSize: a longer response body is refused (the server is not trusted to be small).
    ///   - timeout: for connecting, sending and receiving together.
    /// - Throws: ``DICOMWebError``: `connection`, `timeout` or `responseTooLong`.
    public static func post(_ body: [UInt8], to endpoint: HTTPEndpoint, path: String, headers: [(String, String)],
                            maxResponseSize: Int = 1 << 20, timeout: Duration = .seconds(60)) async throws -> HTTPResponse {
        try await send(.POST, body: body, endpoint: endpoint, path: path, headers: headers, maxResponseSize: maxResponseSize, timeout: timeout)
    }

    /// GETs `endpoint.path + path` (an Orthanc REST resource, in the tests) and returns the response.
    /// - Throws: ``DICOMWebError``, as ``post(_:to:path:headers:maxResponseSize:timeout:)``.
    public static func get(_ endpoint: HTTPEndpoint, path: String, headers: [(String, String)] = [],
                           maxResponseSize: Int = 1 << 20, timeout: Duration = .seconds(60)) async throws -> HTTPResponse {
        try await send(.GET, body: nil, endpoint: endpoint, path: path, headers: headers, maxResponseSize: maxResponseSize, timeout: timeout)
    }

    private static func send(_ method: HTTPMethod, body: [UInt8]?, endpoint: HTTPEndpoint, path: String, headers: [(String, String)],
                             maxResponseSize: Int, timeout: Duration) async throws -> HTTPResponse {
        try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
            group.addTask {
                try await exchange(method, body: body, endpoint: endpoint, path: path, headers: headers, maxResponseSize: maxResponseSize)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            do {
                guard let first = try await group.next(), let response = first else {
                    throw DICOMWebError(.timeout, "\(method) \(endpoint)\(path) took longer than \(timeout)")
                }
                return response
            } catch let error as DICOMWebError {
                throw error
            } catch {
                throw DICOMWebError(.connection, "\(method) \(endpoint)\(path): \(error)")
            }
        }
    }

    private static func exchange(_ method: HTTPMethod, body: [UInt8]?, endpoint: HTTPEndpoint, path: String, headers: [(String, String)],
                                 maxResponseSize: Int) async throws -> HTTPResponse {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: endpoint.path + path)
            head.headers.add(name: "Host", value: endpoint.hostHeader)
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            if let body { head.headers.add(name: "Content-Length", value: String(body.count)) }
            head.headers.add(name: "Connection", value: "close")
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            // A server may answer and close before the last write is done (seen with Orthanc and Connection: close):
            // its answer is still read, and the write error counts only when no complete answer came.
            var writeError: (any Error)?
            do { try await outbound.write(contentsOf: parts) } catch { writeError = error }
            var answer: (status: Int, contentType: String?)?
            var received: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let head):
                    // 1xx interim responses (RFC 9110 15.2) come before the final one.
                    if head.status.code >= 200 { answer = (Int(head.status.code), head.headers.first(name: "Content-Type")) }
                case .body(var buffer):
                    guard received.count + buffer.readableBytes <= maxResponseSize else {
                        throw DICOMWebError(.responseTooLong, "\(endpoint)\(path) answered with more than \(maxResponseSize) bytes")
                    }
                    received += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    if let answer { return HTTPResponse(status: answer.status, contentType: answer.contentType, body: received) }
                    received = []
                }
            }
            throw DICOMWebError(.connection, "\(endpoint)\(path) closed the connection before the response ended"
                                + (writeError.map { " (sending: \($0))" } ?? ""))
        }
    }
}
