import DICOMTestSupport
import Foundation
import MappingStore
import Testing

/// Where the PostgreSQL tests run: `DICOM_DEID_TEST_POSTGRES_URL` (see Scripts/start-postgres.sh).
/// Unset: the PostgreSQL tests are skipped, unless `CI=true`, where they run and fail.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["DICOM_DEID_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let shouldRun = url != nil || isCI
    static let skipReason: Comment = "DICOM_DEID_TEST_POSTGRES_URL is unset (URL=$(Scripts/start-postgres.sh))"

    /// The URL, or a failure saying how to get one (under CI=true).
    static func requireURL() throws -> String {
        guard let url else {
            throw TestFailure("CI=true but DICOM_DEID_TEST_POSTGRES_URL is unset; start one with Scripts/start-postgres.sh")
        }
        return url
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A type name no other test (or earlier run against the same PostgreSQL database) uses.
func freshType(_ label: String) -> String {
    "\(label)-\(UUID().uuidString.prefix(8))"
}

/// Synthetic patient IDs (fake PHI).
func fakeIDs(_ range: Range<Int>) -> [String] {
    range.map { "FAKE-PT-\($0)" }
}

/// The built `dicom-mapping` executable.
func mappingTool() throws -> URL {
    guard let url = RepositoryPaths.builtProduct("dicom-mapping") else {
        throw TestFailure("dicom-mapping is not built (looked beside \(Bundle.main.bundleURL.path)); run swift build first")
    }
    return url
}

/// A `dicom-mapping assign` child process whose numbers are written to a file.
struct AssignRun {
    let process: Process
    let keys: [String]
    let output: URL
    let errors: URL

    /// Starts `dicom-mapping assign --db location --create --type type --keys-from keysFile`.
    init(location: String, type: String, keys: [String], in folder: URL, name: String) throws {
        let keysFile = folder.appendingPathComponent("\(name).keys")
        try (keys.joined(separator: "\n") + "\n").write(to: keysFile, atomically: false, encoding: .utf8)
        output = folder.appendingPathComponent("\(name).out")
        errors = folder.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process = Process()
        process.executableURL = try mappingTool()
        process.arguments = ["assign", "--db", location, "--create", "--type", type, "--keys-from", keysFile.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        self.keys = keys
        try process.run()
    }

    /// The numbers printed so far, one per key in order.
    func numbers() throws -> [Int] {
        let text = try String(contentsOf: output, encoding: .utf8)
        // A killed run may leave a last line without its newline: only whole lines count.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return try lines.map { line in
            guard let number = Int(line) else { throw TestFailure("not a number: \(line)") }
            return number
        }
    }

    var stderrText: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
}

/// Checks a store's contents for one type: unique numbers 1...n, and agreement with `expected` key -> number.
func expectConsistent(_ entries: [(type: String, key: String, value: Int)], type: String, expected: [String: Int],
                      count: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let mine = entries.filter { $0.type == type }
    #expect(mine.count == count, "entries", sourceLocation: sourceLocation)
    #expect(mine.map(\.value).sorted() == Array(1..<(count + 1)), "numbers are exactly 1...\(count)",
            sourceLocation: sourceLocation)
    #expect(Set(mine.map(\.key)).count == mine.count, "keys unique", sourceLocation: sourceLocation)
    let stored = Dictionary(mine.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    let disagreeing = expected.filter { stored[$0.key] != $0.value }
    #expect(disagreeing.isEmpty, "\(disagreeing.count) printed numbers differ from the database",
            sourceLocation: sourceLocation)
}

/// Key -> number from parallel arrays, failing the test when one key got two numbers.
func mapping(_ keys: [String], _ numbers: [Int], into map: inout [String: Int],
             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for (key, number) in zip(keys, numbers) {
        if let previous = map[key] {
            #expect(previous == number, "one key got two numbers", sourceLocation: sourceLocation)
        } else {
            map[key] = number
        }
    }
}

/// The two databases every store test runs on; PostgreSQL only when a server is configured (or CI demands it).
enum Backend: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static let enabled: [Backend] = PostgresTestServer.shouldRun ? [.sqlite, .postgres] : [.sqlite]

    var testDescription: String { rawValue }

    /// A location for one test: a new SQLite file in `folder`, or the test server's URL.
    func location(in folder: URL) throws -> String {
        switch self {
        case .sqlite: return folder.appendingPathComponent("mapping.sqlite").path
        case .postgres: return try PostgresTestServer.requireURL()
        }
    }
}
