/// A complete HTTP response: status code, the Content-Type header if any, and the body (bounded by the caller).
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]

    public init(status: Int, contentType: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}
