import Foundation
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
            var postgres = try PostgresConfiguration(url: databaseURL)
            postgres.replicaName = try replicaName()
            logger.info("opening PostgreSQL", metadata: ["url": "\(postgres.redacted)"])
            return try await PostgresStore.open(postgres, logger: logger)
        }
        return try await SQLiteStore.open(path: sqlitePath, durability: sqliteDurability, logger: logger)
    }
}

extension ServerConfiguration {
    /// This replica's name, kept in the data directory (`replica-name`) so that it survives restarts; made on
    /// first use.
    ///
    /// Each replica of a deployment has its own data directory, and so its own name: a restarted replica knows
    /// the turns it was running when it stopped as its own, and takes them up at once.
    func replicaName() throws -> String {
        try dataDirectoryValue(
            named: "replica-name", isValid: { (1...64).contains($0.count) }, make: { UUID().uuidString.lowercased() })
    }
}

extension ServerConfiguration {
    /// Opens the store, runs `body` with it, and closes it whether `body` returns or throws.
    ///
    /// A command's writes are committed by the time it returns: closing waits for the queued writes, and a failure
    /// to close is reported unless `body` already failed (its error says more).
    public func withStore<T: Sendable>(
        logger: Logger, _ body: (any ParleyStore) async throws -> T
    ) async throws -> T {
        let store = try await openStore(logger: logger)
        let result: T
        do {
            result = try await body(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        return result
    }
}
