import DICOMTestSupport
import Foundation

/// Debian's `chromium`, run headless on a local page: its DOM after the scripts ran, a screenshot, and every
/// console message the page produced.
struct HeadlessChromium {
    /// What one run gave back.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Console messages (`console.*` calls, uncaught exceptions, Content-Security-Policy violations), as
        /// Chromium logs them with `--enable-logging=stderr --v=0`: `[…:INFO:CONSOLE:12] "Uncaught …", source: …`.
        /// Chromium logs every level as INFO, so any line counts; the report page itself never logs.
        var consoleMessages: [String] {
            stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        }
    }

    let executable: URL

    /// Chromium when installed (`chromium`, else `chromium-browser`), or nil.
    static let installed: HeadlessChromium? = {
        for name in ["chromium", "chromium-browser"] {
            if let tool = ExternalTool.find(name) { return HeadlessChromium(executable: tool.executable) }
        }
        return nil
    }()

    /// True when the tests run in CI (`CI=true`), where a missing chromium is a failure, not a skip.
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Runs chromium headless with `arguments` on `url`, in a throwaway profile, killing it after `timeout` seconds.
    func run(_ arguments: [String], url: String, timeout: TimeInterval = 90) throws -> Outcome {
        let profile = try TemporaryDirectory(prefix: "dicom-review-chromium")
        defer { profile.remove() }
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-dev-shm-usage", "--user-data-dir=\(profile.url.path)",
                         "--enable-logging=stderr", "--v=0"] + arguments + [url]
        let outcome = try ExternalTool(executable: executable).run(arguments, timeout: timeout)
        return Outcome(status: outcome.status, stdout: outcome.stdoutText, stderr: outcome.stderrText)
    }
}
