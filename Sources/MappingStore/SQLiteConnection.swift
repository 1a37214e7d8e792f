internal import CSQLite

/// One SQLite connection and its prepared statements; not thread-safe (``SQLiteIntegerStore`` keeps it in a Mutex).
final class SQLiteConnection {
    private let db: OpaquePointer
    private let path: String
    private var statements: [String: OpaquePointer] = [:]

    /// Opens an existing, writable file (the store created it with mode 0600 if needed).
    init(path: String, busyTimeoutMilliseconds: Int32) throws(MappingStoreError) {
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw Self.error(rc, "cannot open the database (\(message))", path: path)
        }
        self.db = handle
        self.path = path
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(db, 1)
        if sqlite3_db_readonly(db, "main") == 1 {
            throw MappingStoreError(.readOnly, reason: "the database can only be opened read-only", location: path)
        }
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    /// Runs statements that return nothing of interest (PRAGMA, DDL, BEGIN/COMMIT).
    func execute(_ sql: String, _ what: String) throws(MappingStoreError) {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw failure(rc, what) }
    }

    /// The first column of the first row of `sql` as text (e.g. `PRAGMA journal_mode=WAL` -> "wal").
    func text(_ sql: String, _ what: String) throws(MappingStoreError) -> String? {
        let rows = try query(sql, [], what) { statement in
            sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? ""
        }
        return rows.first
    }

    /// Runs a cached prepared statement with text and integer parameters, mapping each row with `row`.
    func query<Row>(_ sql: String, _ parameters: [SQLiteValue], _ what: String,
                    row: (OpaquePointer) -> Row) throws(MappingStoreError) -> [Row] {
        let statement = try prepared(sql, what)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, parameter) in parameters.enumerated() {
            let position = Int32(index + 1)
            let rc: Int32
            switch parameter {
            case .text(let text):
                rc = sqlite3_bind_text(statement, position, text, -1, Self.transient)
            case .integer(let value):
                rc = sqlite3_bind_int64(statement, position, Int64(value))
            }
            guard rc == SQLITE_OK else { throw failure(rc, what) }
        }
        var rows: [Row] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_ROW {
                rows.append(row(statement))
            } else if rc == SQLITE_DONE {
                return rows
            } else {
                throw failure(rc, what)
            }
        }
    }

    private func prepared(_ sql: String, _ what: String) throws(MappingStoreError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw failure(rc, what) }
        statements[sql] = statement
        return statement
    }

    private func failure(_ rc: Int32, _ what: String) -> MappingStoreError {
        Self.error(rc, "\(what) failed (\(String(cString: sqlite3_errmsg(db))))", path: path)
    }

    /// SQLite's `SQLITE_TRANSIENT`: bound text is copied before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Maps an SQLite result code to an error case; SQLite's messages name tables and columns, never values.
    static func error(_ rc: Int32, _ reason: String, path: String) -> MappingStoreError {
        let code: MappingStoreError.Code
        switch rc & 0xFF {
        case SQLITE_NOTADB, SQLITE_CORRUPT: code = .corrupt
        case SQLITE_READONLY: code = .readOnly
        case SQLITE_BUSY, SQLITE_LOCKED: code = .busy
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH: code = .unreadable
        default: code = .queryFailed
        }
        if code == .corrupt {
            return MappingStoreError(code, reason: "not an SQLite database, or a damaged one: \(reason)", location: path)
        }
        return MappingStoreError(code, reason: reason, location: path)
    }
}

/// A parameter bound to an SQLite statement.
enum SQLiteValue {
    case text(String)
    case integer(Int)
}
