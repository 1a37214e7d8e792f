/// The one error type of the MappingStore module: what went wrong (``code``), in one line a user can act on.
///
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: MappingStoreError(.corrupt)) { ... }`.
/// No error ever carries a key or a value: keys are original identifiers (PHI). Errors name the database file
/// or the server (host and port, never a password) in ``location``.
public struct MappingStoreError: Error, Hashable, CustomStringConvertible {
    /// A distinct, stable error case. New codes may be added; compare with `==`, do not switch exhaustively.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `corrupt`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The code's name.
        public var description: String { name }

        /// The database file or lookup table cannot be opened or read (missing folder, no permission, a directory).
        public static let unreadable = Code("unreadable")
        /// The file is not an SQLite database, or the database is damaged.
        public static let corrupt = Code("corrupt")
        /// The database cannot be written (file or folder marked read-only, read-only file system).
        public static let readOnly = Code("readOnly")
        /// The PostgreSQL server cannot be reached or refused the connection (address, authentication, database).
        public static let unreachable = Code("unreachable")
        /// The database refused a statement (lost connection, full disk, schema from another program).
        public static let queryFailed = Code("queryFailed")
        /// The database stays locked by another writer longer than the busy timeout.
        public static let busy = Code("busy")
        /// A location, type or width that cannot be used (empty type, malformed URL, negative width).
        public static let invalidArgument = Code("invalidArgument")
        /// A lookup table file whose contents cannot be parsed (bad CSV header, unterminated quote).
        public static let malformedTable = Code("malformedTable")
        /// Every number a type can hold has been handed out.
        public static let exhausted = Code("exhausted")
    }

    /// What went wrong.
    public let code: Code
    /// One line for the user, without keys or values, e.g. "not an SQLite database (file is not a database)".
    public var reason: String
    /// The database file, lookup table file, or `host:port/database` of the server involved.
    public var location: String?

    /// - Parameters:
    ///   - code: the error case.
    ///   - reason: one line for the user; defaults to the code's name. Must not contain keys (PHI).
    ///   - location: the file path or `host:port/database` involved (never a password).
    public init(_ code: Code, reason: String = "", location: String? = nil) {
        self.code = code
        self.reason = reason
        self.location = location
    }

    /// One line: "`location`: `reason`".
    public var description: String {
        let text = reason.isEmpty ? code.name : reason
        let line = location.map { "\($0): \(text)" } ?? text
        return Self.oneLine(line)
    }

    public static func == (lhs: MappingStoreError, rhs: MappingStoreError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// Folds database messages (libpq's are several lines) onto one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" })
            .map { Substring($0).trimmingSpaces() }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
