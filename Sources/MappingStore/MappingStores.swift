/// Opens the ``IntegerStore`` a location names.
public enum MappingStores {
    /// Opens a PostgreSQL store for a `postgresql://` or `postgres://` URL, else an SQLite store at the path.
    /// - Parameters:
    ///   - location: a PostgreSQL URL or a file path.
    ///   - durability: for SQLite, when new numbers reach the disk (PostgreSQL commits durably on the server).
    /// - Throws: ``MappingStoreError`` from ``PostgresIntegerStore/init(url:connectTimeout:)`` or
    ///   ``SQLiteIntegerStore/init(path:busyTimeout:durability:)``.
    public static func open(_ location: String,
                            durability: SQLiteIntegerStore.Durability = .eachNumber) throws(MappingStoreError) -> any IntegerStore {
        if isPostgresURL(location) {
            return try PostgresIntegerStore(url: location)
        }
        return try SQLiteIntegerStore(path: location, durability: durability)
    }

    /// Whether `location` is a PostgreSQL URL (scheme compared without regard to case).
    public static func isPostgresURL(_ location: String) -> Bool {
        let lowered = location.lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }
}
