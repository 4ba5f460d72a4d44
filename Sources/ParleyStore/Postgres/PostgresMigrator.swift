import Foundation
import Logging
import PostgresNIO

/// Applies `PostgresSchema.migrations` that the database has not seen yet, one replica at a time.
///
/// A session-level advisory lock, keyed on the schema, serialises migrators: when several replicas start together,
/// the first applies the pending migrations and the others wait, then find nothing left to do. Each migration runs in
/// its own transaction with its bookkeeping row, so a failure leaves the schema at the previous version.
struct PostgresMigrator {
    let database: PostgresDatabase
    let logger: Logger

    /// The advisory lock every Parley migrator takes, keyed on the schema name: taken before the schema exists.
    private static let lockSQL = "SELECT pg_advisory_lock(hashtext('parley.migrate.' || ?))"
    private static let unlockSQL = "SELECT pg_advisory_unlock(hashtext('parley.migrate.' || ?))"

    /// Applies pending migrations in order; returns the versions applied.
    func migrate(schema: String?) async throws -> [Int] {
        let logger = logger
        return try await database.withConnection { connection in
            let key: [SQLValue] = [.text(schema ?? "public")]
            try await connection.query(PostgresDatabase.statement(Self.lockSQL, key), logger: logger)
            do {
                if let schema {
                    try await connection.query(
                        PostgresDatabase.statement("CREATE SCHEMA IF NOT EXISTS \(schema)", []), logger: logger)
                }
                let applied = try await Self.apply(on: connection, logger: logger)
                try await connection.query(PostgresDatabase.statement(Self.unlockSQL, key), logger: logger)
                return applied
            } catch {
                _ = try? await connection.query(PostgresDatabase.statement(Self.unlockSQL, key), logger: logger)
                throw error
            }
        }
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY, name text NOT NULL, applied_at double precision NOT NULL)
            """, logger: logger)
        let done = try await PostgresRows.collect(
            connection.query("SELECT version FROM schema_migrations", logger: logger))
        let appliedBefore = Set(try done.map { try $0.int("version") })
        var applied: [Int] = []
        for migration in PostgresSchema.migrations where !appliedBefore.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in migration.statements {
                    try await transaction.query(PostgresDatabase.statement(statement, []), logger: logger)
                }
                try await transaction.query(
                    PostgresDatabase.statement(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        [.integer(migration.version), .text(migration.name), SQLValues.date(Date())]), logger: logger)
            }
            logger.info(
                "applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
