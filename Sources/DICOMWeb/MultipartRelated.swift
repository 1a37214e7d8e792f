/// A `multipart/related` body (RFC 2387) of Part 10 files, as STOW-RS takes them (PS3.18 10.5.1.2): each part
/// has `Content-Type: application/dicom`, and the boundary occurs in none of them.
public struct MultipartRelated: Sendable {
    public let boundary: String
    public let body: [UInt8]

    /// The request's Content-Type header value.
    public var contentType: String { "multipart/related; type=\"application/dicom\"; boundary=\(boundary)" }

    /// Frames `files` (complete Part 10 files, sent as they are).
    public init(files: [[UInt8]]) {
        var generator = SystemRandomNumberGenerator()
        var boundary: String
        repeat {
            boundary = "dicom-deid-" + (0..<4).map { _ in Self.hex(generator.next()) }.joined()
        } while files.contains { Self.contains($0, Array(boundary.utf8)) }
        var body: [UInt8] = []
        body.reserveCapacity(files.reduce(0) { $0 + $1.count + 128 })
        for file in files {
            body += Array("--\(boundary)\r\nContent-Type: application/dicom\r\n\r\n".utf8)
            body += file
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        self.boundary = boundary
        self.body = body
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// Whether `needle` occurs in `bytes` (RFC 2046 5.1.1: the boundary must not occur in any part).
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
