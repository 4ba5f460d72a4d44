import Foundation
import Logging

/// Applies `SQLiteSchema.migrations` that the database has not seen yet.
struct SQLiteMigrator {
    let database: SQLiteDatabase
    let logger: Logger

    /// Applies pending migrations in order; returns the versions applied.
    func migrate() async throws -> [Int] {
        try await database.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
        )
        var applied: [Int] = []
        for migration in SQLiteSchema.migrations {
            let didApply = try await database.transaction { transaction in
                let done = try transaction.query(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", [.integer(migration.version)])
                guard done.isEmpty else { return false }
                for statement in migration.statements {
                    try transaction.query(statement)
                }
                try transaction.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(migration.version), .text(migration.name), SQLValues.date(Date())])
                return true
            }
            if didApply {
                logger.info(
                    "applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }
}
