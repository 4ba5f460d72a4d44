import Logging
import ParleyStore

extension ServerConfiguration {
    /// Whether `DATABASE_URL` names a PostgreSQL database rather than a SQLite file.
    public var usesPostgres: Bool {
        databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://")
    }

    /// Opens the store `DATABASE_URL` names: PostgreSQL for a `postgres://` URL, the SQLite file otherwise.
    public func openStore(logger: Logger) async throws -> any ParleyStore {
        if usesPostgres {
            let postgres = try PostgresConfiguration(url: databaseURL)
            logger.info("opening PostgreSQL", metadata: ["url": "\(postgres.redacted)"])
            return try await PostgresStore.open(postgres, logger: logger)
        }
        return try await SQLiteStore.open(path: sqlitePath, durability: sqliteDurability, logger: logger)
    }
}
