// The error design (ErrorCode, cause, throw site) is part of this module's API.
@_exported import Diagnostics

/// The one error type of the MappingStore module: what went wrong (``code``), in one line a user can act on.
///
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: MappingStoreError(.corrupt)) { ... }`.
/// No error ever carries a key or a value: keys are original identifiers (PHI). Errors name the database file
/// or the server (host and port, never a password) in ``location``.
public struct MappingStoreError: StructuredError {
    /// A distinct, stable error case. New codes may be added; compare with `==`, do not switch exhaustively.
    public typealias Code = ErrorCode<MappingStoreError>

    /// The database or table involved.
    public struct Context: Sendable {
        let location: String?
    }

    public let storage: ErrorStorage<MappingStoreError>
    public init(storage: ErrorStorage<MappingStoreError>) { self.storage = storage }

    /// - Parameters:
    ///   - code: the error case.
    ///   - reason: one line for the user; defaults to the code in words. Must not contain keys (PHI).
    ///   - location: the file path or `host:port/database` involved (never a password).
    ///   - cause: the underlying error, if any.
    public init(_ code: Code, reason: String = "", location: String? = nil, cause: (any Error)? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self = .make(code, context: Context(location: location), reason: reason, cause: cause, fileID: fileID, line: line)
    }

    /// The database file, lookup table file, or `host:port/database` of the server involved.
    public var location: String? { context.location }

    /// One line: "`location`: `reason`".
    public var description: String {
        let text = reasonWithCause
        let line = location.map { "\($0): \(text)" } ?? text
        return Self.oneLine(line)
    }

    /// Folds database messages (libpq's are several lines) onto one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" })
            .map { Substring($0).trimmingSpaces() }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

extension ErrorCode<MappingStoreError> {
    /// The database file or lookup table cannot be opened or read (missing folder, no permission, a directory).
    public static var unreadable: Self { Self("unreadable", words: "unreadable") }
    /// The file is not an SQLite database, or the database is damaged.
    public static var corrupt: Self { Self("corrupt", words: "damaged database") }
    /// The database cannot be written (file or folder marked read-only, read-only file system).
    public static var readOnly: Self { Self("readOnly", words: "read-only database") }
    /// The PostgreSQL server cannot be reached or refused the connection (address, authentication, database).
    public static var unreachable: Self { Self("unreachable", words: "database server unreachable") }
    /// The database refused a statement (lost connection, full disk, schema from another program).
    public static var queryFailed: Self { Self("queryFailed", words: "database query failed") }
    /// The database stays locked by another writer longer than the busy timeout.
    public static var busy: Self { Self("busy", words: "database busy") }
    /// A location, type or width that cannot be used (empty type, malformed URL, negative width).
    public static var invalidArgument: Self { Self("invalidArgument", words: "invalid argument") }
    /// A lookup table file whose contents cannot be parsed (bad CSV header, unterminated quote).
    public static var malformedTable: Self { Self("malformedTable", words: "malformed lookup table") }
    /// Every number a type can hold has been handed out.
    public static var exhausted: Self { Self("exhausted", words: "numbers exhausted") }
}
