internal import CLibPQ
import SharedLibraries

/// One libpq connection; not thread-safe (``PostgresIntegerStore`` keeps it in a Mutex).
final class PostgresConnection {
    private let connection: OpaquePointer
    private let pq: PostgresLibrary
    /// `host:port/database`, for errors (never the user's password).
    let location: String

    /// Connects to `url` (a `postgresql://` URL or a libpq connection string).
    init(url: String, location: String, connectTimeoutSeconds: Int) throws(MappingStoreError) {
        self.location = location
        let pq: PostgresLibrary
        switch PostgresLibrary.shared {
        case .success(let library): pq = library
        case .failure(let failure):
            throw MappingStoreError(.unreachable, reason: "PostgreSQL's client library cannot be used (\(failure.message)): install libpq5",
                                    location: location)
        }
        // Keywords after "dbname" override the URL's, so the default timeout comes first and the URL may change it.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = [String(connectTimeoutSeconds), "dicom-deid", url]
        let handle = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in
                pq.connect(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else {
            throw MappingStoreError(.unreachable, reason: "cannot allocate a PostgreSQL connection", location: location)
        }
        guard pq.status(handle) == CONNECTION_OK else {
            let message = Self.firstLine(pq.errorMessage(handle))
            pq.finish(handle)
            throw MappingStoreError(.unreachable, reason: "cannot connect to PostgreSQL (\(message))", location: location)
        }
        // libpq prints server notices ("relation ... already exists, skipping") on stderr; a library keeps quiet.
        _ = pq.setNoticeProcessor(handle, { _, _ in }, nil)
        self.connection = handle
        self.pq = pq
    }

    deinit {
        pq.finish(connection)
    }

    /// Runs one or more statements without parameters (DDL, BEGIN/COMMIT).
    func execute(_ sql: String, _ what: String) throws(MappingStoreError) {
        _ = try query(sql, [], what)
    }

    /// Runs one statement with text parameters; returns the rows as text (NULL as nil).
    func query(_ sql: String, _ parameters: [String], _ what: String) throws(MappingStoreError) -> [[String?]] {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = pq.exec(connection, sql)
        } else {
            result = Self.withCStrings(parameters) { pointers in
                pq.execParams(connection, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
            }
        }
        guard let result else { throw failure(what, nil) }
        defer { pq.clear(result) }
        let status = pq.resultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw failure(what, result) }
        var rows: [[String?]] = []
        for row in 0..<pq.rowCount(result) {
            rows.append((0..<pq.fieldCount(result)).map { column in
                pq.isNull(result, row, column) == 1 ? nil : pq.value(result, row, column).map { String(cString: $0) }
            })
        }
        return rows
    }

    /// Whether the server connection broke (the store then reconnects once).
    var isBroken: Bool { pq.status(connection) != CONNECTION_OK }

    /// Reconnects with the original parameters.
    func reset() throws(MappingStoreError) {
        pq.reset(connection)
        guard pq.status(connection) == CONNECTION_OK else {
            let message = Self.firstLine(pq.errorMessage(connection))
            throw MappingStoreError(.unreachable, reason: "lost the PostgreSQL connection (\(message))", location: location)
        }
    }

    /// PostgreSQL's primary message (it names constraints and columns; libpq's DETAIL line, which may quote key
    /// values, is left out).
    private func failure(_ what: String, _ result: OpaquePointer?) -> MappingStoreError {
        var message = ""
        if let result, let primary = pq.resultErrorField(result, Int32(UInt8(ascii: "M"))) {
            message = String(cString: primary)
        } else {
            message = Self.firstLine(pq.errorMessage(connection))
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
