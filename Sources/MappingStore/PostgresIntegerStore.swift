import Synchronization

/// An ``IntegerStore`` in a PostgreSQL database, shared by any number of processes on any number of machines.
///
/// Schema: `dicom_deid_integers(type text, key text, value bigint)`, primary key `(type, key)`, unique
/// `(type, value)`, created on first use. A new key is numbered in a transaction holding a transaction-level
/// advisory lock on its type (`pg_advisory_xact_lock`), so writers of one type take turns and writers of
/// different types do not wait for each other; the unique constraints make the database itself refuse a
/// duplicate. Known keys are answered from memory, then by a plain read.
///
/// One connection per store, used by one thread at a time; a broken connection is reopened once per call.
public final class PostgresIntegerStore: IntegerStore {
    /// `host:port/database` of the server (what errors name; never the password).
    public let location: String
    private let connection: Mutex<PostgresConnection>
    private let cache = IntegerCache()

    /// Connects to the server at `url` and creates the table when missing.
    /// - Parameters:
    ///   - url: `postgresql://user[:password]@host[:port]/database[?parameters]` (also `postgres://`).
    ///   - connectTimeout: seconds to wait for the server unless the URL says `connect_timeout`.
    /// - Throws: ``MappingStoreError``: `unreachable` (no server, refused, authentication, no such database),
    ///   `queryFailed` (the table cannot be created).
    public init(url: String, connectTimeout: Int = 10) throws(MappingStoreError) {
        let location = Self.location(of: url)
        self.location = location
        let connection = try PostgresConnection(url: url, location: location, connectTimeoutSeconds: connectTimeout)
        try connection.execute("""
            BEGIN;
            SELECT pg_advisory_xact_lock(\(Self.schemaLock));
            CREATE TABLE IF NOT EXISTS \(Self.table) (type text NOT NULL, key text NOT NULL, value bigint NOT NULL,
                PRIMARY KEY (type, key), UNIQUE (type, value));
            COMMIT;
            """, "creating the table")
        self.connection = Mutex(connection)
    }

    public func integer(for key: String, type: String) throws(MappingStoreError) -> Int {
        let key = try IntegerKey(type: type, key: key)
        if let number = cache.number(for: key) { return number }
        let number = try connection.withLock { connection throws(MappingStoreError) -> Int in
            try Self.retryingOnce(connection) { () throws(MappingStoreError) -> Int in
                try Self.number(for: key, in: connection)
            }
        }
        cache.remember(number, for: key)
        return number
    }

    public func entries() throws(MappingStoreError) -> [(type: String, key: String, value: Int)] {
        try connection.withLock { connection throws(MappingStoreError) -> [(type: String, key: String, value: Int)] in
            let rows = try Self.retryingOnce(connection) { () throws(MappingStoreError) -> [[String?]] in
                try connection.query("SELECT type, key, value FROM \(Self.table) ORDER BY type, value", [],
                                     "reading the numbers")
            }
            var entries: [(type: String, key: String, value: Int)] = []
            for row in rows {
                guard row.count == 3, let type = row[0], let key = row[1], let value = row[2].flatMap({ Int($0) }) else {
                    throw MappingStoreError(.queryFailed, reason: "unexpected row in \(Self.table)", location: connection.location)
                }
                entries.append((type: type, key: key, value: value))
            }
            return entries
        }
    }

    // MARK: - Numbering

    private static let table = "dicom_deid_integers"
    /// Advisory lock keys: one for creating the schema, and a class id paired with `hashtext(type)` per type.
    private static let schemaLock = 0x6463_6D00
    private static let typeLockClass = 0x6463_6D01

    private static func number(for key: IntegerKey, in connection: PostgresConnection) throws(MappingStoreError) -> Int {
        let select = "SELECT value FROM \(table) WHERE type = $1 AND key = $2"
        if let known = try integer(connection.query(select, [key.type, key.key], "reading a number"), connection) {
            return known
        }
        try connection.execute("BEGIN", "starting a transaction")
        do throws(MappingStoreError) {
            // Read committed: statements after the lock see everything the previous holder committed.
            _ = try connection.query("SELECT pg_advisory_xact_lock(\(typeLockClass), hashtext($1))", [key.type],
                                     "locking the type")
            if let known = try integer(connection.query(select, [key.type, key.key], "reading a number"), connection) {
                try connection.execute("COMMIT", "ending a read")
                return known
            }
            let insert = """
                INSERT INTO \(table) (type, key, value)
                SELECT $1, $2, COALESCE(MAX(value), 0) + 1 FROM \(table) WHERE type = $1 RETURNING value
                """
            guard let next = try integer(connection.query(insert, [key.type, key.key], "storing a number"), connection) else {
                throw MappingStoreError(.queryFailed, reason: "the insert returned no number", location: connection.location)
            }
            try connection.execute("COMMIT", "committing a number")
            return next
        } catch {
            if !connection.isBroken { try? connection.execute("ROLLBACK", "rolling back") }
            throw error
        }
    }

    /// The single integer of a one-row, one-column result; nil for no rows.
    private static func integer(_ rows: [[String?]], _ connection: PostgresConnection) throws(MappingStoreError) -> Int? {
        guard let row = rows.first else { return nil }
        guard let text = row.first ?? nil, let value = Int(text) else {
            throw MappingStoreError(.queryFailed, reason: "the database returned a non-integer number", location: connection.location)
        }
        return value
    }

    /// Runs `body`; when it failed because the connection broke, reconnects and runs it once more. Safe because
    /// every unit of work is a whole transaction: an interrupted one was rolled back by the server.
    private static func retryingOnce<R>(_ connection: PostgresConnection,
                                        _ body: () throws(MappingStoreError) -> R) throws(MappingStoreError) -> R {
        do {
            return try body()
        } catch where connection.isBroken {
            try connection.reset()
            return try body()
        }
    }

    /// `host:port/database` from a URL, without user or password (what errors and logs may show).
    ///
    /// `localhost` when the URL names no host; `PostgreSQL` when the text is not a URL (a libpq `key=value`
    /// string may hold a password, so none of it is shown).
    /// - Parameter url: a `postgresql://` URL.
    public static func location(of url: String) -> String {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return "PostgreSQL" }
        let rest = url[url.index(colon, offsetBy: 3)...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        if hostPort.isEmpty { hostPort = "localhost" }
        var database = ""
        if authorityEnd < rest.endIndex, rest[authorityEnd] == "/" {
            let path = rest[rest.index(after: authorityEnd)...]
            database = String(path.prefix(while: { $0 != "?" }))
        }
        return database.isEmpty ? String(hostPort) : "\(hostPort)/\(database)"
    }
}
