import FileSystem
import Foundation

/// Runs another program (openssl, dcmdump, python3, gdcmanon, our executables) and captures what it says.
public struct ExternalTool: Sendable {
    /// What a finished run produced.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    public let executable: URL

    public init(executable: URL) { self.executable = executable }

    /// Finds `name` on PATH; nil when it is not installed.
    public static func find(_ name: String) -> ExternalTool? {
        if name.contains("/") {
            return FileIO.isExecutable(name) ? ExternalTool(executable: URL(fileURLWithPath: name)) : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileIO.isExecutable(candidate.path) { return ExternalTool(executable: candidate) }
        }
        return nil
    }

    /// Runs the tool to completion.
    /// - Parameters:
    ///   - arguments: command-line arguments.
    ///   - stdin: bytes fed to standard input (closed afterwards).
    ///   - environment: extra variables merged over this process's environment.
    ///   - directory: working directory.
    @discardableResult
    ///   - timeout: seconds after which a tool still running is terminated (no limit when nil).
    public func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    directory: URL? = nil, timeout: TimeInterval? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog) }
        defer { watchdog.cancel() }
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty tool never blocks on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: out, stderr: errBox.data)
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A fresh directory under the system temporary folder, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "dicom-deid-test") throws {
        url = URL(fileURLWithPath: try FileIO.makeTemporaryDirectory(prefix: prefix))
    }

    public func remove() { FileIO.removeTree(url.path) }
}
