import Logging
import SQLiteNIO

/// The SQLite database every repository shares: a reader connection, and a writer connection used one at a time.
///
/// Reads run at once on the reader: WAL lets them proceed beside a writer and they see only committed data. Every
/// write, single statement or transaction, takes the writer lock, so no statement lands inside another's
/// transaction and no write ever sits in SQLite's busy wait holding one of the few thread-pool threads the
/// transaction it waits for needs.
///
/// The writer runs on a thread of its own, so a write never queues behind reads in the shared thread pool while it
/// holds the writer lock.
final class SQLiteDatabase: Sendable {
    private let reader: SQLiteConnection
    private let writer: SQLiteConnection
    private let writerThread: NIOThreadPool
    private let writerLock = AsyncLock()

    private init(reader: SQLiteConnection, writer: SQLiteConnection, writerThread: NIOThreadPool) {
        self.reader = reader
        self.writer = writer
        self.writerThread = writerThread
    }

    /// Opens (creating if needed) the database file and sets durable, concurrent-friendly pragmas.
    static func open(path: String, durability: SQLiteDurability, logger: Logger) async throws -> SQLiteDatabase {
        let inMemory = path == ":memory:"
        let writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
        let first = try await connect(path: path, durability: durability, threadPool: writerThread)
        // A private in-memory database exists only on its one connection.
        let second = inMemory ? first : try await connect(path: path, durability: durability, threadPool: .singleton)
        return SQLiteDatabase(reader: second, writer: first, writerThread: writerThread)
    }

    private static func connect(path: String, durability: SQLiteDurability, threadPool: NIOThreadPool) async throws
        -> SQLiteConnection
    {
        let connection = try await SQLiteConnection.open(
            storage: path == ":memory:" ? .memory : .file(path: path), threadPool: threadPool,
            on: MultiThreadedEventLoopGroup.singleton.any())
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

    /// Runs one statement: a `SELECT` on the reader, anything else on the writer under its lock.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        if Self.isRead(sql) { return try await reader.query(sql, binds) }
        return try await writerLock.withLock { try await writer.query(sql, binds) }
    }

    private static func isRead(_ sql: String) -> Bool {
        sql.drop(while: \.isWhitespace).prefix(6).uppercased() == "SELECT"
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    func transaction<T: Sendable>(_ body: (SQLiteTransaction) async throws -> T) async throws -> T {
        try await writerLock.withLock {
            _ = try await writer.query("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(SQLiteTransaction(connection: writer))
                _ = try await writer.query("COMMIT", [])
                return result
            } catch {
                _ = try? await writer.query("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Closes the connections.
    func close() async throws {
        try await writerLock.withLock {
            try await writer.close()
            if reader !== writer { try await reader.close() }
        }
        try await writerThread.shutdownGracefully()
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
