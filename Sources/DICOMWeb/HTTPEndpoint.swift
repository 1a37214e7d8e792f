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
        var portText: Substring?
        if host.hasPrefix("[") {
            // An IPv6 literal (RFC 3986 3.2.2): hex digits, colons and dots between brackets, then maybe :port.
            guard let close = authority.firstIndex(of: "]") else { throw DICOMWebError(.invalidURL, "\(text): an IPv6 address without its ']'") }
            let literal = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard !literal.isEmpty, literal.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }),
                  after.isEmpty || after.hasPrefix(":") else {
                throw DICOMWebError(.invalidURL, "\(text): not an IPv6 address between brackets")
            }
            host = String(literal)
            if !after.isEmpty { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        }
        var port = 80
        if let portText {
            guard portText.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = Int(portText), (1...65535).contains(number) else {
                throw DICOMWebError(.invalidURL, "\(text): the port must be a number from 1 to 65535")
            }
            port = number
        }
        guard !host.isEmpty else { throw DICOMWebError(.invalidURL, "\(text): no host") }
        // A name or an IPv4 address: letters, digits, dots and hyphens (RFC 1123), or the IPv6 literal above.
        guard authority.hasPrefix("[") || host.utf8.allSatisfy({ Self.hostNameBytes.contains($0) }) else {
            throw DICOMWebError(.invalidURL, "\(text): the host may hold only letters, digits, dots and hyphens")
        }
        self.host = host
        self.port = port
        self.path = path
    }

    private static let hostNameBytes = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-".utf8))

    /// The value of the Host header (RFC 9110 7.2).
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    public var description: String { "http://\(hostHeader)\(path)" }
}
