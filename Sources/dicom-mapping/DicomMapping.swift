import MappingStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import Diagnostics
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
enum DicomMapping {
    static let usage = """
        usage: dicom-mapping assign --db LOCATION [--create] --type TYPE [--width N] [--keys-from FILE|-] [KEY...]
               dicom-mapping dump --db LOCATION
               dicom-mapping --version
        LOCATION: an SQLite file path, or postgresql://user@host:port/database
        --create: make the SQLite file when it does not exist (refused otherwise)
        """

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else { fail(usage, status: 2) }
        arguments.removeFirst()
        switch command {
        case "assign": assign(arguments)
        case "dump": dump(arguments)
        case "-h", "--help", "help":
            print(usage)
        case "--version":
            print(Toolkit.version)
        default:
            fail("unknown command \(command)\n\(usage)", status: 2)
        }
    }

    static func assign(_ arguments: [String]) {
        var database: String?, type: String?, width = 0, keysFile: String?, create = false
        var keys: [String] = []
        var index = 0
        func optionValue(_ name: String) -> String {
            index += 1
            guard index < arguments.count else { fail("\(name) needs a value\n\(usage)", status: 2) }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--db": database = optionValue("--db")
            case "--type": type = optionValue("--type")
            case "--width":
                guard let value = Int(optionValue("--width")) else { fail("--width needs a number", status: 2) }
                width = value
            case "--keys-from": keysFile = optionValue("--keys-from")
            case "--create": create = true
            case "--": keys += arguments[(index + 1)...]; index = arguments.count
            default: keys.append(arguments[index])
            }
            index += 1
        }
        guard let database, let type else { fail("assign needs --db and --type\n\(usage)", status: 2) }
        if let keysFile { keys += readLines(keysFile) }
        if !create { requireExisting(database, hint: " (give --create to make a new one)") }
        do {
            let store = try MappingStores.open(database)
            for key in keys {
                print(try store.formattedInteger(for: key, type: type, width: width))
                fflush(nil)   // each number reaches the reader once it is durable
            }
        } catch {
            fail("dicom-mapping: \(error)", status: 1)
        }
    }

    static func dump(_ arguments: [String]) {
        guard arguments.count == 2, arguments[0] == "--db" else { fail("dump needs --db LOCATION\n\(usage)", status: 2) }
        requireExisting(arguments[1], hint: "")
        do {
            let store = try MappingStores.open(arguments[1])
            for entry in try store.entries() {
                print("\(entry.type)\t\(entry.key)\t\(entry.value)")
            }
        } catch {
            fail("dicom-mapping: \(error)", status: 1)
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
        exit(status)
    }
}
