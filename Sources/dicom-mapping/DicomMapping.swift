import ArgumentParser
import CLISupport
import Diagnostics
import MappingStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `dicom-mapping`: assigns and lists the sequential numbers of CTP's `@integer` in a mapping database.
///
/// ```
/// dicom-mapping assign --db LOCATION [--create] --type TYPE [--width N] [--keys-from FILE|-] [KEY...]
/// dicom-mapping dump --db LOCATION
/// dicom-mapping --version
/// ```
/// LOCATION is an SQLite file path or a `postgresql://user@host:port/db` URL. `assign` prints one number a line,
/// in the order of the keys, each flushed as soon as it is stored (so a killed run has printed only durable
/// numbers). `dump` prints `type TAB key TAB number` lines, ordered by type, then number.
/// An SQLite file that does not exist is refused (a mistyped path would otherwise start a new, empty numbering):
/// `assign --create` makes it; `dump` never does.
/// Exit status: 0 success, 1 database error (one line on stderr, without keys), 2 usage error.
@main
struct DicomMapping: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-mapping",
        abstract: "Assign and list the sequential numbers of CTP's @integer in a mapping database.",
        discussion: """
            LOCATION: an SQLite file path, or postgresql://user@host:port/database. An SQLite file that does not \
            exist is refused unless assign --create makes it. Exit status: 0 success, 1 database error, 2 usage error.
            """,
        version: Toolkit.version,
        subcommands: [Assign.self, Dump.self])

    static func main() { CommandRunner.main(Self.self) }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the number of each key (one a line, each flushed once it is stored), assigning new ones.")

        @Option(help: ArgumentHelp("SQLite file or postgresql:// URL.", valueName: "location"), completion: .file())
        var db: String
        @Flag(help: "Make the SQLite file when it does not exist (refused otherwise).")
        var create = false
        @Option(help: "The numbering, e.g. ptid.")
        var type: String
        @Option(help: "Pad numbers with zeros to this many digits.")
        var width = 0
        @Option(help: ArgumentHelp("Read keys from this file, one a line, or - for standard input.", valueName: "file|-"),
                completion: .file())
        var keysFrom: String?
        @Argument(help: ArgumentHelp("Keys (after -- when one starts with -).", valueName: "key"))
        var keys: [String] = []

        func run() {
            var keys = keys
            if let keysFrom { keys += DicomMapping.readLines(keysFrom) }
            if !create { DicomMapping.requireExisting(db, hint: " (give --create to make a new one)") }
            do {
                let store = try MappingStores.open(db)
                for key in keys {
                    print(try store.formattedInteger(for: key, type: type, width: width))
                    fflush(nil)   // each number reaches the reader once it is durable
                }
            } catch {
                DicomMapping.fail("dicom-mapping: \(error)", status: 1)
            }
        }
    }

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print type TAB key TAB number lines, by type, then number.")

        @Option(help: ArgumentHelp("SQLite file or postgresql:// URL.", valueName: "location"), completion: .file())
        var db: String

        func run() {
            DicomMapping.requireExisting(db, hint: "")
            do {
                let store = try MappingStores.open(db)
                for entry in try store.entries() {
                    print("\(entry.type)\t\(entry.key)\t\(entry.value)")
                }
            } catch {
                DicomMapping.fail("dicom-mapping: \(error)", status: 1)
            }
        }
    }

    /// Ends the run (status 1) when `location` is an SQLite path with nothing there: opening it would create an
    /// empty database. A PostgreSQL database is the server's to create; its table is made on first use.
    static func requireExisting(_ location: String, hint: String) {
        guard !MappingStores.isPostgresURL(location) else { return }
        var status = stat()
        if stat(location, &status) != 0, errno == ENOENT {
            fail("dicom-mapping: \(location): no such database\(hint)", status: 1)
        }
    }

    /// The lines of a file, or of standard input for `-`, without line ends; empty lines skipped.
    static func readLines(_ path: String) -> [String] {
        if path == "-" {
            var lines: [String] = []
            while let line = readLine() {
                if !line.isEmpty { lines.append(line) }
            }
            return lines
        }
        guard let file = fopen(path, "r") else {
            fail("dicom-mapping: \(path): cannot read (\(String(cString: strerror(errno))))", status: 1)
        }
        defer { fclose(file) }
        var lines: [String] = []
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while getline(&buffer, &capacity, file) >= 0 {
            guard let buffer else { break }
            var line = String(cString: buffer)
            while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
            if !line.isEmpty { lines.append(line) }
        }
        return lines
    }

    static func fail(_ message: String, status: Int32) -> Never {
        fflush(nil)
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        Glibc.exit(status)
    }
}
