/// A plain HTTP/1.1 server and path, from `http://host[:port][/path]` (RFC 9110 4.2.1). `https` is refused:
/// TLS to destinations is not built yet.
public struct HTTPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// The path, without a trailing slash ("" for the root).
    public let path: String

    /// Parses `text`.
    /// - Throws: ``DICOMWebError`` (`invalidURL`) naming what is wrong.
    public init(_ text: String) throws(DICOMWebError) {
        guard text.hasPrefix("http://") else {
            throw DICOMWebError(.invalidURL, "\(text): only http:// URLs are supported (no TLS yet)")
        }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        guard !authority.contains("@"), !path.contains("?"), !path.contains("#"), !path.contains(" ") else {
            throw DICOMWebError(.invalidURL, "\(text): user names, queries, fragments and spaces are not supported")
        }
        var host = String(authority)
        var port = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                throw DICOMWebError(.invalidURL, "\(text): the port must be a number from 1 to 65535")
            }
            host = String(authority[..<colon])
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw DICOMWebError(.invalidURL, "\(text): no host") }
        self.host = host
        self.port = port
        self.path = path
    }

    /// The value of the Host header (RFC 9110 7.2).
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    public var description: String { "http://\(hostHeader)\(path)" }
}
