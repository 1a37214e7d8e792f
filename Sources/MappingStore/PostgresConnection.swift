internal import CLibPQ

/// One libpq connection; not thread-safe (``PostgresIntegerStore`` keeps it in a Mutex).
final class PostgresConnection {
    private let connection: OpaquePointer
    /// `host:port/database`, for errors (never the user's password).
    let location: String

    /// Connects to `url` (a `postgresql://` URL or a libpq connection string).
    init(url: String, location: String, connectTimeoutSeconds: Int) throws(MappingStoreError) {
        self.location = location
        // Keywords after "dbname" override the URL's, so the default timeout comes first and the URL may change it.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = [String(connectTimeoutSeconds), "dicom-deid", url]
        let handle = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else {
            throw MappingStoreError(.unreachable, reason: "cannot allocate a PostgreSQL connection", location: location)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.firstLine(PQerrorMessage(handle))
            PQfinish(handle)
            throw MappingStoreError(.unreachable, reason: "cannot connect to PostgreSQL (\(message))", location: location)
        }
        // libpq prints server notices ("relation ... already exists, skipping") on stderr; a library keeps quiet.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.connection = handle
    }

    deinit {
        PQfinish(connection)
    }

    /// Runs one or more statements without parameters (DDL, BEGIN/COMMIT).
    func execute(_ sql: String, _ what: String) throws(MappingStoreError) {
        _ = try query(sql, [], what)
    }

    /// Runs one statement with text parameters; returns the rows as text (NULL as nil).
    func query(_ sql: String, _ parameters: [String], _ what: String) throws(MappingStoreError) -> [[String?]] {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(connection, sql)
        } else {
            result = Self.withCStrings(parameters) { pointers in
                PQexecParams(connection, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
            }
        }
        guard let result else { throw failure(what, nil) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw failure(what, result) }
        var rows: [[String?]] = []
        for row in 0..<PQntuples(result) {
            rows.append((0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return rows
    }

    /// Whether the server connection broke (the store then reconnects once).
    var isBroken: Bool { PQstatus(connection) != CONNECTION_OK }

    /// Reconnects with the original parameters.
    func reset() throws(MappingStoreError) {
        PQreset(connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.firstLine(PQerrorMessage(connection))
            throw MappingStoreError(.unreachable, reason: "lost the PostgreSQL connection (\(message))", location: location)
        }
    }

    /// PostgreSQL's primary message (it names constraints and columns; libpq's DETAIL line, which may quote key
    /// values, is left out).
    private func failure(_ what: String, _ result: OpaquePointer?) -> MappingStoreError {
        var message = ""
        if let result, let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))) {
            message = String(cString: primary)
        } else {
            message = Self.firstLine(PQerrorMessage(connection))
        }
        let code: MappingStoreError.Code = isBroken ? .unreachable : .queryFailed
        return MappingStoreError(code, reason: "\(what) failed (\(message))", location: location)
    }

    private static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "no message" }
        let line = String(cString: text).split(separator: "\n").first.map { $0.trimmingSpaces() } ?? ""
        return line.isEmpty ? "no message" : line
    }

    /// Calls `body` with a C array of NUL-terminated copies of `strings`, valid only during the call.
    private static func withCStrings<R>(_ strings: [String],
                                        _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        var storage: [UnsafeMutablePointer<CChar>] = []
        storage.reserveCapacity(strings.count)
        for string in strings {
            let bytes = Array(string.utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            storage.append(copy)
        }
        defer { storage.forEach { $0.deallocate() } }
        var pointers: [UnsafePointer<CChar>?] = storage.map { UnsafePointer($0) }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { buffer in
            // A non-empty array always has a base address.
            body(buffer.baseAddress ?? UnsafePointer(bitPattern: 1).unsafelyUnwrapped)
        }
    }
}
