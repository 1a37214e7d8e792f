/// Opens the ``IntegerStore`` a location names.
public enum MappingStores {
    /// Opens a PostgreSQL store for a `postgresql://` or `postgres://` URL, else an SQLite store at the path.
    /// - Parameter location: a PostgreSQL URL or a file path.
    /// - Throws: ``MappingStoreError`` from ``PostgresIntegerStore/init(url:connectTimeout:)`` or
    ///   ``SQLiteIntegerStore/init(path:busyTimeout:)``.
    public static func open(_ location: String) throws(MappingStoreError) -> any IntegerStore {
        if isPostgresURL(location) {
            return try PostgresIntegerStore(url: location)
        }
        return try SQLiteIntegerStore(path: location)
    }

    /// Whether `location` is a PostgreSQL URL (scheme compared without regard to case).
    public static func isPostgresURL(_ location: String) -> Bool {
        let lowered = location.lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }
}
