import Logging
import SQLiteNIO

/// One SQLite connection shared by every repository, with statements and transactions run one at a time.
///
/// SQLite has a single writer; serialising here keeps a transaction's statements from interleaving with others.
final class SQLiteDatabase: Sendable {
    private let connection: SQLiteConnection
    private let lock = AsyncLock()

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens (creating if needed) the database file and sets durable, concurrent-friendly pragmas.
    static func open(path: String, durability: SQLiteDurability, logger: Logger) async throws -> SQLiteDatabase {
        let connection = try await SQLiteConnection.open(storage: path == ":memory:" ? .memory : .file(path: path))
        let database = SQLiteDatabase(connection: connection)
        // WAL lets readers proceed during writes; the durability level decides when commits reach the disk;
        // foreign keys keep orphans out.
        for pragma in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = \(durability.rawValue.uppercased())",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
        ] {
            _ = try await connection.query(pragma, [])
        }
        return database
    }

    /// Runs one statement.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await lock.withLock { try await connection.query(sql, binds) }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    func transaction<T: Sendable>(_ body: (SQLiteTransaction) async throws -> T) async throws -> T {
        try await lock.withLock {
            _ = try await connection.query("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(SQLiteTransaction(connection: connection))
                _ = try await connection.query("COMMIT", [])
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Closes the connection.
    func close() async throws {
        try await lock.withLock { try await connection.close() }
    }
}

/// Statements run inside an open transaction.
struct SQLiteTransaction {
    fileprivate let connection: SQLiteConnection

    /// Runs one statement inside the transaction.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await connection.query(sql, binds)
    }
}
