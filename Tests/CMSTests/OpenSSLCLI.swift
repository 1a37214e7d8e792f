import DICOMTestSupport
import Testing

/// The openssl command-line tool, when installed (interop tests are disabled with this reason otherwise).
enum OpenSSLCLI {
    static let tool = ExternalTool.find("openssl")
    static var isAvailable: Bool { tool != nil }
    static let missingReason: Comment = "the openssl command-line tool is not installed"
}
