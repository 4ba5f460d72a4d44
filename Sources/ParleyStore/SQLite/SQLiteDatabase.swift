import Logging
import SQLiteNIO

/// The SQLite database every repository shares: one connection for single statements, one for transactions.
///
/// Single statements are atomic on their own and run without waiting for each other (SQLite is built serialized,
/// and WAL lets reads proceed beside a writer). Transactions run on their own connection, one at a time, so no
/// other statement can land inside one. A write that meets an open transaction waits on SQLite's busy timeout.
final class SQLiteDatabase: Sendable {
    private let statements: SQLiteConnection
    private let transactions: SQLiteConnection
    private let transactionLock = AsyncLock()

    private init(statements: SQLiteConnection, transactions: SQLiteConnection) {
        self.statements = statements
        self.transactions = transactions
    }

    /// Opens (creating if needed) the database file and sets durable, concurrent-friendly pragmas.
    static func open(path: String, durability: SQLiteDurability, logger: Logger) async throws -> SQLiteDatabase {
        let inMemory = path == ":memory:"
        let first = try await connect(path: path, durability: durability)
        // A private in-memory database exists only on its one connection.
        let second = inMemory ? first : try await connect(path: path, durability: durability)
        return SQLiteDatabase(statements: first, transactions: second)
    }

    private static func connect(path: String, durability: SQLiteDurability) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: path == ":memory:" ? .memory : .file(path: path))
        // WAL lets readers proceed during writes; the durability level decides when commits reach the disk;
        // foreign keys keep orphans out; the busy timeout makes a writer wait for an open transaction.
        for pragma in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = \(durability.rawValue.uppercased())",
            "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000",
        ] {
            _ = try await connection.query(pragma, [])
        }
        return connection
    }

    /// Runs one statement.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await statements.query(sql, binds)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    func transaction<T: Sendable>(_ body: (SQLiteTransaction) async throws -> T) async throws -> T {
        try await transactionLock.withLock {
            _ = try await transactions.query("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(SQLiteTransaction(connection: transactions))
                _ = try await transactions.query("COMMIT", [])
                return result
            } catch {
                _ = try? await transactions.query("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Closes the connections.
    func close() async throws {
        try await transactionLock.withLock {
            try await statements.close()
            if transactions !== statements { try await transactions.close() }
        }
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
