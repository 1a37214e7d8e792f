import DICOMTestSupport
import Testing

/// The openssl command-line tool, when installed (interop tests are disabled with this reason otherwise).
enum OpenSSLCLI {
    static let tool = Peer.openssl.tool
    /// Installed, or required (CI=true): the test runs, and fails at `try #require(OpenSSLCLI.tool)` when absent.
    static var isAvailable: Bool { Peer.runnable(.openssl) }
    static let missingReason = Comment(rawValue: Peer.skipReason(.openssl))
}
