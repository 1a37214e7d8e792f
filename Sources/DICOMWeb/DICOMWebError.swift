/// What went wrong talking to a DICOMweb server: a bad URL, a connection or protocol failure, a time-out or an
/// over-long response. Says which server.
public struct DICOMWebError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure; `==` and `hash(into:)` use it only.
    public struct Code: Hashable, Sendable {
        let name: String
        /// The URL is not `http://host[:port][/path]`.
        public static let invalidURL = Code(name: "invalid URL")
        /// The connection failed, or the server broke the HTTP/1.1 exchange.
        public static let connection = Code(name: "connection failed")
        /// The exchange took longer than its time limit.
        public static let timeout = Code(name: "timed out")
        /// The response is longer than the limit.
        public static let responseTooLong = Code(name: "response too long")
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.name): \(reason)" }

    public static func == (lhs: DICOMWebError, rhs: DICOMWebError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
