import DICOMTestSupport
import FileSystem
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `dicom-gateway` started for one test in a fresh folder (spool, forward folder, quarantine, audit log,
/// secret), listening on a port the system chose; its log (standard error) goes to a file the test reads.
final class GatewayProcess {
    let directory: TemporaryDirectory
    /// Whether the folder is this process's own (removed with it), not one given to several runs in turn.
    private let ownsDirectory: Bool
    let process = Process()
    private(set) var port = 0
    static let aeTitle = "GATEWAY"

    var spool: String { path("spool") }
    var output: String { path("out") }
    var quarantine: String { path("spool-quarantine") }
    var auditLog: String { path("out-audit.jsonl") }
    var logFile: String { path("gateway.log") }
    var secret: String { path("secret") }

    func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

    static var executable: URL {
        get throws {
            guard let url = RepositoryPaths.builtProduct("dicom-gateway") else {
                throw PeerMissing("dicom-gateway is not built (looked beside \(Bundle.main.bundleURL.path)); run swift build first")
            }
            return url
        }
    }

    /// Starts the gateway allowing `callers`, with `extra` options, and waits until it listens; `spooled` files
    /// are in its spool before it starts (what an earlier run left). Given `directory`, it runs in that folder,
    /// left in place when it ends: a restart after a crash uses the same spool, forward folder and audit log.
    /// With `config`, the gateway is started with `--config FILE` (then `extra`) instead of its usual options; it
    /// is given the process (for its paths) and returns the file's text.
    init(allow callers: [String] = ["STORESCU", "ECHOSCU", "PYNETDICOM", "RAW"], extra: [String] = [],
         spooled: [(name: String, bytes: [UInt8])] = [], directory given: TemporaryDirectory? = nil,
         config: ((GatewayProcess) -> String)? = nil) throws {
        directory = try given ?? TemporaryDirectory(prefix: "dicom-gateway-test")
        ownsDirectory = given == nil
        if !spooled.isEmpty { try FileIO.makeDirectories(directory.url.appendingPathComponent("spool").path, mode: 0o700) }
        for file in spooled {
            try FileIO.writeAtomically(file.bytes, to: directory.url.appendingPathComponent("spool/" + file.name).path,
                                       overwrite: false, mode: 0o600, prefix: ".tmp-")
        }
        try FileIO.writeAtomically(Array("0123456789abcdef0123456789abcdef\n".utf8), to: secret, overwrite: true,
                                   mode: 0o600, prefix: ".tmp-")
        FileManagerFree.touch(logFile)
        process.executableURL = try Self.executable
        process.arguments = ["--port", "0", "--host", "127.0.0.1", "--ae-title", Self.aeTitle,
                             "--recipient", RepositoryPaths.keys.appendingPathComponent("test-recipient-a.crt").path,
                             "--secret", secret, "--spool", spool, "--forward-to-folder", output,
                             "--idle-timeout", "20", "--artim-timeout", "5"]
            + callers.flatMap { ["--allow", $0] } + extra
        if let config {
            try FileIO.writeAtomically(Array(config(self).utf8), to: path("gateway.yaml"), overwrite: false, mode: 0o600, prefix: ".tmp-")
            process.arguments = ["--config", path("gateway.yaml")] + extra
        }
        process.environment = ["XDG_CONFIG_HOME": path("config"), "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            if let line = logLines.first(where: { $0.contains("\"event\":\"listening\"") }),
               let range = line.range(of: "127.0.0.1:"),
               let port = Int(line[range.upperBound...].prefix { $0.isNumber }) {
                self.port = port
                return
            }
            usleep(20_000)
        }
        let log = logLines.joined(separator: "\n")
        stop()
        throw PeerMissing("dicom-gateway did not start listening: \(log)")
    }

    /// The log lines written so far.
    var logLines: [String] {
        guard let bytes = try? FileIO.readAll(path: logFile) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Log lines of one event.
    func events(_ name: String) -> [String] { logLines.filter { $0.contains("\"event\":\"\(name)\"") } }

    /// The files under the forward folder.
    var outputs: [String] { DirectoryWalker(root: output).files.map { output + "/" + $0 } }
    /// The instances waiting in the spool.
    var spooled: [String] { DirectoryWalker(root: spool).files }

    /// Waits until `count` outputs are there and the spool is empty (or `seconds` pass); returns the outputs.
    @discardableResult
    func waitForOutputs(_ count: Int, seconds: Double = 120) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, outputs.count < count || !spooled.isEmpty { usleep(50_000) }
        return outputs
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: the crash of the nothing-lost test. Returns once the process is gone.
    func killNow() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { stop() }
        if ownsDirectory { directory.remove() }
    }
}

/// Creating an empty file without FileManager (the log the gateway's standard error is opened on).
enum FileManagerFree {
    static func touch(_ path: String) {
        try? FileIO.writeAtomically([], to: path, overwrite: true, mode: 0o600, prefix: ".tmp-")
    }
}

/// The Part 10 file's data set bytes: everything after the meta group (whose (0002,0000) gives its length).
func dataSetBytes(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    guard bytes.count > 144, Array(bytes[128..<132]) == Array("DICM".utf8) else { return bytes[...] }
    let length = Int(bytes[140]) | Int(bytes[141]) << 8 | Int(bytes[142]) << 16 | Int(bytes[143]) << 24
    return bytes[min(bytes.count, 144 + length)...]
}
