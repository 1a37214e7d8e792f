internal import CSQLite
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ``IntegerStore`` in one SQLite file, shared safely by the threads of a process and by many processes.
///
/// The file is created with mode 0600 (its `-wal` and `-shm` companions inherit that mode) and opened in WAL mode
/// with `synchronous=FULL`, so a number is on disk before it is returned. New keys are numbered inside
/// `BEGIN IMMEDIATE` transactions (one writer at a time across processes; others wait up to the busy timeout);
/// known keys are answered from memory, then from a read that never blocks writers.
///
/// Schema: `dicom_deid_integers(type TEXT, key TEXT, value INTEGER)`, primary key `(type, key)`, unique
/// `(type, value)`: the database itself refuses a duplicate number.
public final class SQLiteIntegerStore: IntegerStore {
    /// When a new number reaches the disk.
    public enum Durability: Sendable {
        /// Before it is returned (`synchronous=FULL`): one disk flush per new key.
        case eachNumber
        /// When ``makeDurable()`` is called (`synchronous=NORMAL`, then one flush of the write-ahead log for
        /// all numbers since the last call). A killed process loses nothing (the log is written at each
        /// commit); a power loss may lose numbers not yet made durable, so nothing that carries them may be
        /// committed before. A batch calls it once per group of outputs.
        case onRequest
    }

    /// The database file.
    public let path: String
    public let durability: Durability
    private let connection: Mutex<SQLiteConnection>
    private let cache = IntegerCache()
    /// A number was stored since the last ``makeDurable()`` (``Durability/onRequest`` only).
    private let unsynced = Atomic<Bool>(false)

    /// Opens the database at `path`, creating it (mode 0600) and its table when missing.
    /// - Parameters:
    ///   - path: the database file.
    ///   - busyTimeout: how long to wait for another process's write transaction before giving up.
    /// - Throws: ``MappingStoreError``: `unreadable` (cannot open or create, not a regular file), `readOnly`
    ///   (file or folder not writable, or marked read-only even for root), `corrupt` (not an SQLite database).
    ///   - durability: when new numbers reach the disk.
    public init(path: String, busyTimeout: Duration = .seconds(60), durability: Durability = .eachNumber) throws(MappingStoreError) {
        self.path = path
        self.durability = durability
        try Self.prepareFile(path)
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: Int32(clamping: milliseconds))
        try Self.configure(connection, path: path, durability: durability)
        self.connection = Mutex(connection)
    }

    public func integer(for key: String, type: String) throws(MappingStoreError) -> Int {
        let key = try IntegerKey(type: type, key: key)
        if let number = cache.number(for: key) { return number }
        let number = try connection.withLock { connection throws(MappingStoreError) -> Int in
            let number = try Self.number(for: key, in: connection)
            // Set under the connection lock, after the commit: a later makeDurable() sees it.
            if durability == .onRequest { unsynced.store(true, ordering: .sequentiallyConsistent) }
            return number
        }
        cache.remember(number, for: key)
        return number
    }

    public func makeDurable() throws(MappingStoreError) {
        guard durability == .onRequest, unsynced.exchange(false, ordering: .sequentiallyConsistent) else { return }
        // The write-ahead log holds every commit since the last checkpoint (which syncs the database file).
        for file in [path + "-wal", path] {
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                if errno == ENOENT, file.hasSuffix("-wal") { continue }
                unsynced.store(true, ordering: .sequentiallyConsistent)
                throw MappingStoreError(.unreadable, reason: "cannot open the database to flush it: \(String(cString: strerror(errno)))", location: path)
            }
            defer { close(fd) }
            guard fsync(fd) == 0 else {
                unsynced.store(true, ordering: .sequentiallyConsistent)
                throw MappingStoreError(.queryFailed, reason: "cannot flush the database to disk: \(String(cString: strerror(errno)))", location: path)
            }
        }
    }

    public func entries() throws(MappingStoreError) -> [(type: String, key: String, value: Int)] {
        try connection.withLock { connection throws(MappingStoreError) -> [(type: String, key: String, value: Int)] in
            try connection.query(Self.selectAll, [], "reading the numbers") { row in
                (type: Self.textColumn(row, 0), key: Self.textColumn(row, 1), value: Int(sqlite3_column_int64(row, 2)))
            }
        }
    }

    // MARK: - Numbering

    private static let table = "dicom_deid_integers"
    private static let createTable = """
        CREATE TABLE IF NOT EXISTS \(table) (type TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL,
        PRIMARY KEY (type, key), UNIQUE (type, value))
        """
    private static let selectOne = "SELECT value FROM \(table) WHERE type = ?1 AND key = ?2"
    private static let selectLast = "SELECT MAX(value) FROM \(table) WHERE type = ?1"
    private static let insert = "INSERT INTO \(table) (type, key, value) VALUES (?1, ?2, ?3)"
    private static let selectAll = "SELECT type, key, value FROM \(table) ORDER BY type, value"

    /// The stored number of `key`, or the next one of its type, written in one immediate transaction.
    private static func number(for key: IntegerKey, in connection: SQLiteConnection) throws(MappingStoreError) -> Int {
        let parameters: [SQLiteValue] = [.text(key.type), .text(key.key)]
        // A plain read first: in WAL mode it never waits for a writer.
        if let known = try connection.query(selectOne, parameters, "reading a number", row: integerColumn).first {
            return known
        }
        try connection.execute("BEGIN IMMEDIATE", "starting a write transaction")
        do throws(MappingStoreError) {
            // Another process may have numbered the key between the read and the lock.
            if let known = try connection.query(selectOne, parameters, "reading a number", row: integerColumn).first {
                try connection.execute("COMMIT", "ending a read")
                return known
            }
            let last = try connection.query(selectLast, [.text(key.type)], "reading the last number",
                                            row: integerColumn).first ?? 0
            let (next, overflow) = last.addingReportingOverflow(1)
            guard !overflow else {
                throw MappingStoreError(.exhausted, reason: "no number left for type \(key.type)", location: nil)
            }
            _ = try connection.query(insert, parameters + [.integer(next)], "storing a number") { _ in () }
            try connection.execute("COMMIT", "committing a number")
            return next
        } catch {
            try? connection.execute("ROLLBACK", "rolling back")
            throw error
        }
    }

    /// A text column; NULL as "".
    private static func textColumn(_ row: OpaquePointer, _ column: Int32) -> String {
        sqlite3_column_text(row, column).map { String(cString: $0) } ?? ""
    }

    /// Column 0 as an integer; NULL (the MAX of no rows) as 0.
    private static func integerColumn(_ row: OpaquePointer) -> Int {
        Int(sqlite3_column_int64(row, 0))
    }

    // MARK: - Opening

    /// WAL, the synchronous level of `durability`, and the table when missing.
    private static func configure(_ connection: SQLiteConnection, path: String, durability: Durability) throws(MappingStoreError) {
        let mode = try connection.text("PRAGMA journal_mode=WAL", "switching to WAL mode")
        guard mode?.lowercased() == "wal" else {
            throw MappingStoreError(.readOnly, reason: "cannot switch the database to WAL mode", location: path)
        }
        if durability == .eachNumber {
            try connection.execute("PRAGMA synchronous=FULL", "setting synchronous=FULL")
        } else {
            try connection.execute("PRAGMA synchronous=NORMAL", "setting synchronous=NORMAL")
        }
        // Only a new file needs the write lock: opening must not wait for another process's transaction.
        let existing = try connection.text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '\(table)'",
                                           "reading the schema")
        guard existing == nil else { return }
        try connection.execute("BEGIN IMMEDIATE", "starting a write transaction")
        do throws(MappingStoreError) {
            try connection.execute(createTable, "creating the table")
            try connection.execute("COMMIT", "creating the table")
        } catch {
            try? connection.execute("ROLLBACK", "rolling back")
            throw error
        }
    }

    /// Checks an existing file, or creates a new one with mode 0600 whatever the umask.
    private static func prepareFile(_ path: String) throws(MappingStoreError) {
        guard !path.isEmpty else {
            throw MappingStoreError(.invalidArgument, reason: "the database path is empty")
        }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw MappingStoreError(.unreadable, reason: "not a regular file", location: path)
            }
            // Root passes access(2) whatever the mode; a file marked unreadable or read-only is refused anyway.
            guard info.st_mode & 0o444 != 0, access(path, R_OK) == 0 else {
                throw MappingStoreError(.unreadable, reason: "the file is not readable", location: path)
            }
            guard info.st_mode & 0o222 != 0, access(path, W_OK) == 0 else {
                throw MappingStoreError(.readOnly, reason: "the file is read-only", location: path)
            }
            return
        }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            if code == EEXIST { return try prepareFile(path) }   // another process created it just now
            let reason = "cannot create the database (\(String(cString: strerror(code))))"
            throw MappingStoreError(code == EROFS ? .readOnly : .unreadable, reason: reason, location: path)
        }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
    }
}
