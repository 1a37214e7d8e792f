import Foundation

/// A program that `Scripts/setup.sh` installs and tests drive (dcmtk, GDCM, dicom3tools, the openssl CLI, ...).
/// When one is absent, a test that needs it is skipped with a message naming it and its Debian package; under
/// `CI=true` the test runs anyway and fails at ``require()``, so a CI machine missing a peer is never green.
///
/// Use both halves: `@Test(.enabled(if: Peer.runnable(.dcmdump), Comment(rawValue: Peer.skipReason(.dcmdump))))`
/// on the test, then `let dcmdump = try Peer.dcmdump.require()` in its body.
public struct Peer: Sendable, CustomStringConvertible {
    /// True under `CI=true`, where every peer is required.
    public static let requiredByCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The command tests run (the first of `commands` found on PATH).
    public let command: String
    /// The Debian package (or pip requirement) that installs it, as Scripts/setup.sh names it.
    public let package: String
    /// The program, or nil when not installed.
    public let tool: ExternalTool?

    /// A command found on PATH under any of `commands` (Debian's chromium is `chromium`, elsewhere `chromium-browser`).
    public init(_ commands: String..., package: String) {
        command = commands[0]
        self.package = package
        tool = commands.lazy.compactMap { ExternalTool.find($0) }.first
    }

    /// A peer that is present only when `check` (run by `tool`) exits 0: python3 with pydicom 3.0.2.
    init(_ command: String, package: String, presentWhen check: [String]) {
        self.command = command
        self.package = package
        let found = ExternalTool.find(command)
        if let found, let outcome = try? found.run(check), outcome.status == 0 { tool = found } else { tool = nil }
    }

    public var isInstalled: Bool { tool != nil }
    public var description: String { "\(command) (\(package))" }

    /// The program, or an error naming what to install; under CI=true that error fails the test.
    public func require() throws -> ExternalTool {
        guard let tool else {
            throw PeerMissing("\(self) is not installed" + (Self.requiredByCI ? "; CI=true requires every peer Scripts/setup.sh installs" : ""))
        }
        return tool
    }

    /// Whether a test needing `peers` should run: all present, or CI=true (where it runs to fail).
    public static func runnable(_ peers: Peer...) -> Bool { requiredByCI || peers.allSatisfy(\.isInstalled) }

    /// The skip message for a test needing `peers`: which are missing, and that CI=true would fail.
    public static func skipReason(_ peers: Peer...) -> String {
        let missing = peers.filter { !$0.isInstalled }.map(\.description)
        return "\(missing.isEmpty ? "nothing" : missing.joined(separator: ", ")) not installed (Scripts/setup.sh; a failure under CI=true)"
    }

    // MARK: - The peers Scripts/setup.sh installs

    public static let dcmdump = Peer("dcmdump", package: "dcmtk")
    public static let dcmcjpeg = Peer("dcmcjpeg", package: "dcmtk")
    public static let dcmdjpeg = Peer("dcmdjpeg", package: "dcmtk")
    public static let dcmcjpls = Peer("dcmcjpls", package: "dcmtk")
    public static let dcmdjpls = Peer("dcmdjpls", package: "dcmtk")
    public static let dcmcrle = Peer("dcmcrle", package: "dcmtk")
    public static let dcmdrle = Peer("dcmdrle", package: "dcmtk")
    public static let gdcmconv = Peer("gdcmconv", package: "libgdcm-tools")
    public static let gdcmanon = Peer("gdcmanon", package: "libgdcm-tools")
    public static let dciodvfy = Peer("dciodvfy", package: "dicom3tools")
    public static let openssl = Peer("openssl", package: "openssl")
    public static let cjpeg = Peer("cjpeg", package: "libjpeg-turbo-progs")
    public static let opjCompress = Peer("opj_compress", package: "libopenjp2-tools")
    public static let sqlite3 = Peer("sqlite3", package: "sqlite3")
    public static let psql = Peer("psql", package: "postgresql-client")
    public static let javac = Peer("javac", package: "default-jdk-headless")
    public static let chromium = Peer("chromium", "chromium-browser", package: "chromium")
    public static let pydicom = Peer("python3", package: "pydicom==3.0.2",
                                     presentWhen: ["-c", "import pydicom, sys; sys.exit(pydicom.__version__ != '3.0.2')"])

    /// dcmtk's network tools, peers of dicom-gateway. Named by Debian's path: pynetdicom installs look-alike
    /// `echoscu`, `storescu` and `storescp` scripts that come first on a PATH with pip's bin folder.
    public static let echoscu = Peer("/usr/bin/echoscu", package: "dcmtk")
    public static let storescu = Peer("/usr/bin/storescu", package: "dcmtk")
    public static let storescp = Peer("/usr/bin/storescp", package: "dcmtk")
    public static let pynetdicom = Peer("python3", package: "pynetdicom==3.0.4",
                                        presentWhen: ["-c", "import pynetdicom, sys; sys.exit(pynetdicom.__version__ != '3.0.4')"])

    /// Orthanc 1.10, a destination of dicom-gateway that the tests start as their own process (never the system
    /// service), and its DICOMweb plugin (STOW-RS), looked for where Debian's `orthanc-dicomweb` puts it.
    public static let orthanc = Peer("/usr/sbin/Orthanc", "Orthanc", package: "orthanc")
    public static let orthancDicomWeb = Peer("sh", package: "orthanc-dicomweb",
                                             presentWhen: ["-c", "test -e \(orthancDicomWebPlugin)"])
    /// Where Debian's `orthanc-dicomweb` installs the plugin.
    public static let orthancDicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
    /// systemd's unit checker, for the gateway's unit example.
    public static let systemdAnalyze = Peer("systemd-analyze", package: "systemd")

    public static let tesseract = Peer("tesseract", package: "tesseract-ocr")
    /// Tesseract's English data, which text detection loads (present when `tesseract --list-langs` names `eng`).
    public static let tesseractEnglish = Peer("sh", package: "tesseract-ocr-eng",
                                              presentWhen: ["-c", "tesseract --list-langs 2>/dev/null | grep -qx eng"])

    /// Every peer above: under CI=true each must be present (Tests/InteropTests/PeerTests.swift).
    public static let all: [Peer] = [dcmdump, dcmcjpeg, dcmdjpeg, dcmcjpls, dcmdjpls, dcmcrle, dcmdrle, gdcmconv, gdcmanon,
                                     dciodvfy, openssl, cjpeg, opjCompress, sqlite3, psql, javac, chromium, pydicom,
                                     tesseract, tesseractEnglish, echoscu, storescu, storescp, pynetdicom, orthanc, orthancDicomWeb,
                                     systemdAnalyze]
}

/// A peer a test needs is not installed.
public struct PeerMissing: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
