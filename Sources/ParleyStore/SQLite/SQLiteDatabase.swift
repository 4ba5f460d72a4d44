import Logging
import NIOPosix

/// The SQLite database every repository shares: reading connections, and one writing connection with group commit.
///
/// Reads run on a pool of reading connections: WAL lets them proceed beside the writer, and they see only committed
/// data. Every write, a single statement or a transaction, is a unit of work for `SQLiteWriter`, which runs it in one
/// hop on its own thread and commits concurrent units together. A unit is synchronous: the statements of a
/// transaction cannot wait on anything but SQLite while they hold the write lock.
final class SQLiteDatabase: Sendable {
    private let writer: SQLiteWriter
    /// Nil for an in-memory database, which exists on its one connection only: reads then queue on the writer.
    private let readers: SQLiteReaders?

    private init(writer: SQLiteWriter, readers: SQLiteReaders?) {
        self.writer = writer
        self.readers = readers
    }

    /// Opens (creating if needed) the database file and sets durable, concurrent-friendly pragmas.
    static func open(path: String, durability: SQLiteDurability, logger: Logger) async throws -> SQLiteDatabase {
        // WAL lets readers proceed during writes; the durability level decides when commits reach the disk;
        // foreign keys keep orphans out; the busy timeout covers another process holding the write lock; the
        // checkpointer, not the writer's commits, copies the log back (see `SQLiteCheckpointer`), and the log file
        // is cut back to 64 MiB when it restarts. The writer's page cache stays at 8 MiB: a commit after a B-tree page
        // split scans the whole cache (SQLite parks a page at the pending-byte page number while it balances, and the
        // cache then truncates everything past the end), so a larger cache makes those commits slower, not faster.
        let inMemory = path == ":memory:"
        let writing = try SQLiteHandle(path: path, readOnly: false)
        try writing.execute(
            """
            PRAGMA journal_mode = WAL; PRAGMA synchronous = \(durability.rawValue.uppercased());
            PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_size_limit = 67108864;
            PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY;
            \(inMemory ? "" : "PRAGMA wal_autocheckpoint = 0;")
            """)
        guard !inMemory else {
            return SQLiteDatabase(writer: SQLiteWriter(connection: writing, checkpointer: nil), readers: nil)
        }
        let checkpointing = try SQLiteHandle(path: path, readOnly: false)
        try checkpointing.execute("PRAGMA busy_timeout = 5000;")
        let writer = SQLiteWriter(connection: writing, checkpointer: SQLiteCheckpointer(connection: checkpointing))
        let readers = SQLiteReaders(threads: .singleton) {
            let reading = try SQLiteHandle(path: path, readOnly: false)
            try reading.execute("PRAGMA query_only = ON; PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 268435456;")
            return reading
        }
        return SQLiteDatabase(writer: writer, readers: readers)
    }

    /// Runs one statement: a `SELECT` on a reader, anything else on the writer as a unit of the group commit.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue] = []) async throws -> [SQLRow] {
        if Self.isRead(sql) { return try await read { try $0.query(sql, binds) } }
        return try await writer.write { try $0.query(sql, binds) }
    }

    private static func isRead(_ sql: String) -> Bool {
        sql.drop(while: \.isWhitespace).prefix(6).uppercased() == "SELECT"
    }

    /// Runs several reads in one hop, on one connection (and so on one snapshot only inside `BEGIN`…`COMMIT`).
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteHandle) throws -> T) async throws -> T {
        if let readers { return try await readers.read(body) }
        return try await writer.read(body)
    }

    /// Runs `body` atomically: its statements all commit or none do, and it returns only once they are committed.
    ///
    /// The body runs inside a savepoint of the writer's current batch; when it throws, the savepoint is rolled back
    /// and the rest of the batch is unaffected.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction) throws -> T) async throws -> T {
        try await writer.write { try body(SQLiteTransaction(handle: $0)) }
    }

    /// Commits every queued write, then closes the connections.
    func close() async throws {
        try await writer.close()
        readers?.close()
    }
}

/// Statements run inside an open transaction on the writer thread.
struct SQLiteTransaction {
    fileprivate let handle: SQLiteHandle

    /// Runs one statement inside the transaction.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue] = []) throws -> [SQLRow] {
        try handle.query(sql, binds)
    }

    /// Rows the last `INSERT`, `UPDATE` or `DELETE` of the transaction changed.
    var changes: Int { handle.changes }
}
