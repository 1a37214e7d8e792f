import DICOMWeb
import Testing

/// STOW-RS without a server: the request body's framing, URLs, and how responses become stored, retry or refused.
@Suite struct STOWOutcomeTests {
    static let uid = "2.25.1234"

    static func response(_ status: Int, _ json: String) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/dicom+json", body: Array(json.utf8))
    }

    static let referenced = #"{"00081199":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["2.25.1234"]}}]}}"#
    static let referencedWithWarning = #"{"00081199":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["2.25.1234"]},"00081196":{"vr":"US","Value":[45056]}}]}}"#
    static func failed(_ reason: Int) -> String {
        #"{"00081198":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["2.25.1234"]},"00081197":{"vr":"US","Value":["#
            + String(reason) + "]}}]}}"
    }

    @Test func storedOn200AndOn202WithAWarning() {
        #expect(STOWOutcome(response: Self.response(200, Self.referenced), sopInstanceUID: Self.uid) == .stored(warning: nil))
        #expect(STOWOutcome(response: Self.response(202, Self.referencedWithWarning), sopInstanceUID: Self.uid) == .stored(warning: 0xB000))
        // A 200 whose body is not DICOM JSON (XML, nothing) still says every instance was stored.
        #expect(STOWOutcome(response: HTTPResponse(status: 200, contentType: nil, body: []), sopInstanceUID: Self.uid) == .stored(warning: nil))
    }

    @Test(arguments: [(0xA700, true), (0x0110, true), (0x0213, true), (0xC000, false), (0xA900, false), (0x0122, false), (0xC122, false)])
    func failureReasonsSayWhetherToRetry(reason: Int, retryable: Bool) {
        for status in [202, 409] {
            guard case .failed(let text, let again) = STOWOutcome(response: Self.response(status, Self.failed(reason)), sopInstanceUID: Self.uid) else {
                Issue.record("\(status) with failure reason \(reason) read as stored")
                continue
            }
            #expect(again == retryable, "\(text)")
        }
    }

    @Test(arguments: [(400, false), (413, false), (415, false), (409, false), (404, true), (408, true), (429, true), (500, true), (503, true)])
    func statusCodesWithoutAModuleSayWhetherToRetry(status: Int, retryable: Bool) {
        guard case .failed(_, let again) = STOWOutcome(response: HTTPResponse(status: status, contentType: "text/html", body: Array("<html>".utf8)),
                                                        sopInstanceUID: Self.uid) else {
            Issue.record("\(status) read as stored")
            return
        }
        #expect(again == retryable)
    }

    @Test func a202NamingNeitherIsRetried() {
        #expect(STOWOutcome(response: Self.response(202, "{}"), sopInstanceUID: Self.uid)
                    == .failed("STOW-RS 202: the response names neither a stored nor a failed instance", retryable: true))
    }

    @Test func multipartFramesEachFileWithABoundaryItDoesNotContain() {
        let file: [UInt8] = Array(repeating: 0x2D, count: 300) + Array("DICM".utf8)
        let multipart = MultipartRelated(files: [file])
        let head = Array("--\(multipart.boundary)\r\nContent-Type: application/dicom\r\n\r\n".utf8)
        let tail = Array("\r\n--\(multipart.boundary)--\r\n".utf8)
        #expect(multipart.body == head + file + tail)
        #expect(multipart.contentType == "multipart/related; type=\"application/dicom\"; boundary=\(multipart.boundary)")
        #expect(MultipartRelated(files: [file]).boundary != multipart.boundary)
    }

    @Test func endpointsAreHTTPURLs() throws {
        let endpoint = try HTTPEndpoint("http://127.0.0.1:8042/dicom-web/")
        #expect(endpoint.host == "127.0.0.1" && endpoint.port == 8042 && endpoint.path == "/dicom-web")
        #expect(endpoint.hostHeader == "127.0.0.1:8042")
        #expect(try HTTPEndpoint("http://archive").port == 80)
        #expect(try HTTPEndpoint("http://[::1]:8042").host == "::1")
        #expect(try HTTPEndpoint("http://[::1]").port == 80)
        #expect(try HTTPEndpoint("http://pacs-1.example.org:80/dicom-web").hostHeader == "pacs-1.example.org")
        for bad in ["https://archive/dicom-web", "archive:8042", "http://:8042", "http://archive:0", "http://u@archive", "http://archive/x?y",
                    "http://[::1", "http://[::1]x", "http://[]:80", "http://[g::1]", "http://a:b:80", "http://arch ive", "http://archive:+80",
                    "http://archive:８０", "http://archi%ve"] {
            #expect(throws: DICOMWebError(.invalidURL, "")) { try HTTPEndpoint(bad) }
        }
    }
}
