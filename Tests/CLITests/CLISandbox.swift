import DICOMCodec
import DICOMCore
import DICOMTestSupport
import Foundation
import Testing

/// The built executables, run for real.
enum Tool: String, CaseIterable {
    case deidentify = "dicom-deidentify"
    case reidentify = "dicom-reidentify"
    case review = "dicom-review"
    case mapping = "dicom-mapping"
    case bench = "dicom-bench"

    /// The executable `swift build` put next to the test bundle.
    var executable: ExternalTool {
        get throws {
            guard let url = RepositoryPaths.builtProduct(rawValue) else {
                throw SandboxError("\(rawValue) is not built (looked beside \(Bundle.main.bundleURL.path)); run swift build first")
            }
            return ExternalTool(executable: url)
        }
    }
}

struct SandboxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh temporary folder per test, with its own `XDG_CONFIG_HOME` (so the default secret is made there).
/// Removed by ``remove()``.
struct Sandbox {
    let directory: TemporaryDirectory
    var root: URL { directory.url }

    init() throws { directory = try TemporaryDirectory(prefix: "dicom-deid-cli") }

    func remove() { directory.remove() }

    /// An absolute path inside the sandbox.
    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func fixture(_ name: String) -> String { RepositoryPaths.fixtures.appendingPathComponent(name).path }
    static func key(_ name: String) -> String { RepositoryPaths.keys.appendingPathComponent(name).path }
    static var fixtures: String { RepositoryPaths.fixtures.path }
    static let recipientA = key("test-recipient-a.crt")
    static let keyA = key("test-recipient-a.key")

    /// Runs `tool` with `arguments`, in the sandbox, with `XDG_CONFIG_HOME` inside it. Re-identification gets
    /// a `--reason` (which it requires) unless the arguments give one or `withReason` is false.
    @discardableResult
    func run(_ tool: Tool, _ arguments: [String], environment: [String: String] = [:],
             withReason: Bool = true) throws -> ExternalTool.Outcome {
        var env = ["XDG_CONFIG_HOME": path("config")]
        for (name, value) in environment { env[name] = value }
        var arguments = arguments
        if tool == .reidentify, withReason, !arguments.contains("--reason") { arguments += ["--reason", "automated test"] }
        return try tool.executable.run(arguments, environment: env, directory: root)
    }

    /// De-identifies `inputs` into `output` for recipient A and requires success.
    @discardableResult
    func deidentify(_ inputs: [String], into output: String, _ extra: [String] = [],
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ExternalTool.Outcome {
        let outcome = try run(.deidentify, inputs + ["--output", output, "--recipient", Self.recipientA] + extra)
        #expect(outcome.status == 0, "dicom-deidentify failed: \(outcome.stderrText)", sourceLocation: sourceLocation)
        return outcome
    }

    /// Writes a 0600 secret file and returns its path, so separate runs map UIDs the same way.
    func makeSecret() throws -> String {
        let secret = path("secret")
        try Data("0123456789abcdef0123456789abcdef test-only secret\n".utf8).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret)
        return secret
    }

    /// The regular files under `folder`, as paths relative to it, sorted; empty when it does not exist.
    static func files(under folder: String) -> [String] {
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var found: [String] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.resolvingSymlinksInPath().path
            found.append(String(path.dropFirst(root.path.count + 1)))
        }
        return found.sorted()
    }

    /// The single de-identified file under `output`.
    static func onlyFile(under output: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let files = files(under: output)
        try #require(files.count == 1, "expected one file under \(output), found \(files)", sourceLocation: sourceLocation)
        return output + "/" + files[0]
    }
}

extension ExternalTool.Outcome {
    /// Standard error's non-empty lines.
    var stderrLines: [String] { stderrText.split(separator: "\n").map(String.init) }
    /// Standard output's non-empty lines.
    var stdoutLines: [String] { stdoutText.split(separator: "\n").map(String.init) }

    /// The standard error lines that mention `path`.
    func stderrLines(naming path: String) -> [String] { stderrLines.filter { $0.contains(path) } }
}

/// Data set comparison, file meta aside.
enum DataSets {
    /// The data set of `file` encoded in its own encoding.
    static func bytes(_ file: Part10File) throws -> [UInt8] {
        try DataSetWriter(target: file.dataSetEncoding, sourceOrder: file.dataSetEncoding.byteOrder).encode(file.dataSet)
    }

    /// `restored` with Patient Identity Removed dropped when `original` has none (re-identification sets it to NO).
    static func comparable(_ restored: Part10File, to original: Part10File) -> Part10File {
        var restored = restored
        let identityRemoved = Tag(0x0012, 0x0062)
        if !original.dataSet.contains(identityRemoved), restored.dataSet[identityRemoved]?.string() == "NO" {
            restored.dataSet.remove(identityRemoved)
        }
        return restored
    }

    /// Expects the two data sets to encode to the same bytes, naming the first differing offset.
    static func expectEqual(_ restored: Part10File, _ original: Part10File, _ name: String,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let a = try bytes(comparable(restored, to: original))
        let b = try bytes(original)
        if a != b {
            let offset = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("\(name): restored data set differs from the original at offset \(offset) (\(a.count) vs \(b.count) bytes)",
                         sourceLocation: sourceLocation)
        }
    }
}

/// The canary registry (Fixtures/phi-canaries.json): values planted in the fixtures that must never be printed.
enum Canaries {
    /// Text canaries (ascii, utf-8, latin-1) of at least two characters, decoded.
    static let textValues: [String] = {
        guard let data = FileManager.default.contents(atPath: Sandbox.fixture("phi-canaries.json")),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let canaries = json["canaries"] as? [[String: Any]] else { return [] }
        let values = canaries.compactMap { entry -> String? in
            guard let encoding = entry["encoding"] as? String, ["ascii", "utf-8", "latin-1"].contains(encoding),
                  let value = entry["value"] as? String, value.count >= 2 else { return nil }
            return value
        }
        return Array(Set(values)).sorted()
    }()

    /// The canaries found in `text`. A canary made of digits (a date, a time, a number) counts only as a
    /// whole token, so the same digits inside a printed `2.25.` UID are not a finding.
    static func found(in text: String) -> [String] {
        textValues.filter { value in
            guard value.first?.isNumber == true || value.first == "+" || value.first == "-" else {
                return text.contains(value)
            }
            var searchRange = text.startIndex..<text.endIndex
            while let match = text.range(of: value, range: searchRange) {
                let before = match.lowerBound > text.startIndex ? text[text.index(before: match.lowerBound)] : " "
                let after = match.upperBound < text.endIndex ? text[match.upperBound] : " "
                let joined = { (c: Character) in c.isNumber || c == "." }
                if !joined(before) && !joined(after) { return true }
                searchRange = match.upperBound..<text.endIndex
            }
            return false
        }
    }
}

/// The fixture inputs: the `.dcm` files and every other regular file under Fixtures (recursively).
enum FixtureFiles {
    /// Every DICOM fixture, in Fixtures/ and its folders (Fixtures/pixels), as paths relative to Fixtures/.
    static var dicom: [String] { Sandbox.files(under: Sandbox.fixtures).filter { $0.hasSuffix(".dcm") } }
    static var all: [String] { Sandbox.files(under: Sandbox.fixtures).filter { !($0 as NSString).lastPathComponent.hasPrefix(".") } }

    /// Every fixture file's bytes, by relative path.
    static func snapshot() -> [String: Data] {
        var result: [String: Data] = [:]
        for name in all { result[name] = FileManager.default.contents(atPath: Sandbox.fixture(name)) }
        return result
    }

    /// The fixture holding the instance of `file`: same SOP Instance UID and transfer syntax (the five CT
    /// files are one instance in five transfer syntaxes).
    static func original(of file: Part10File) throws -> (name: String, file: Part10File)? {
        let uid = file.dataSet[Tag(0x0008, 0x0018)]?.string()
        for name in dicom {
            let candidate = try Part10Reader.read(contentsOf: Sandbox.fixture(name))
            if candidate.dataSet[Tag(0x0008, 0x0018)]?.string() == uid, candidate.transferSyntax.uid == file.transferSyntax.uid {
                return (name, candidate)
            }
        }
        return nil
    }
}
