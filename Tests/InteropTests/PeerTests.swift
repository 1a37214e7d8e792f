import DICOMTestSupport
import Foundation
import Testing

/// Under `CI=true` every peer Scripts/setup.sh installs is present, so no test that needs one can skip to green;
/// and `Peer.all` names a command for every package setup.sh installs for testing.
struct PeerTests {
    /// The packages setup.sh installs only to build (headers, pkg-config) or as a server the tests reach by URL.
    static let notPeers: Set<String> = ["pkg-config", "libssl-dev", "zlib1g-dev", "libjpeg62-turbo-dev", "libcharls-dev",
                                        "libopenjp2-7-dev", "libsqlite3-dev", "libpq-dev", "libtesseract-dev", "libleptonica-dev",
                                        "postgresql",   // DICOM_DEID_TEST_POSTGRES_URL, required by CI=true in MappingStoreTests
                                        // Fonts of Scripts/make-ocr-corpus.py: a missing one makes the corpus unavailable,
                                        // which TextDetectorTests records as a failure under CI=true.
                                        "fonts-dejavu-core", "fonts-liberation", "fonts-noto-mono",
                                        // Scripts/instruction-guard.sh's counter, run by .ci/run (a failure there under CI=true).
                                        "valgrind"]

    @Test(.enabled(if: Peer.requiredByCI, "CI is not true: an absent peer skips its tests with a message"))
    func everyPeerIsInstalledUnderCI() {
        for peer in Peer.all { #expect(peer.isInstalled, "\(peer) is not installed; CI=true requires it (Scripts/setup.sh)") }
    }

    @Test func everyTestingPackageOfSetupHasAPeer() throws {
        let setup = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("Scripts/setup.sh"), encoding: .utf8)
        let list = try #require(setup.firstMatch(of: /packages=\(([^)]*)\)/)).output.1
        let packages = Set(list.split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(packages.count >= 15)
        let covered = Set(Peer.all.map(\.package)).union(Self.notPeers)
        #expect(packages.subtracting(covered).isEmpty, "setup.sh installs \(packages.subtracting(covered).sorted()) with no Peer")
        #expect(setup.contains("pydicom==3.0.2"))
    }
}
