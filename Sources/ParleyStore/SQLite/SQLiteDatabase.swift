import Logging
import SQLiteNIO
import Synchronization

/// The SQLite database every repository shares: a reader connection, and a writer connection used one at a time.
///
/// Reads run at once on the reader: WAL lets them proceed beside a writer and they see only committed data. Every
/// write, single statement or transaction, takes the writer lock, so no statement lands inside another's
/// transaction and no write ever sits in SQLite's busy wait holding one of the few thread-pool threads the
/// transaction it waits for needs. Writes that queue up behind each other are committed together (see
/// `commitUnit`), and none returns before its commit.
///
/// The writer runs on a thread of its own, so a write never queues behind reads in the shared thread pool while it
/// holds the writer lock.
final class SQLiteDatabase: Sendable {
    private let reader: SQLiteConnection
    private let writer: SQLiteConnection
    private let writerThread: NIOThreadPool
    private let writerLock = AsyncLock()
    private let batch = Mutex(Batch())

    /// Most units committed together; bounds how long the first unit of a busy batch waits for its commit.
    private static let maxBatch = 32

    /// The writer's open batch transaction, touched only by the writer lock's holder.
    private struct Batch {
        var isOpen = false
        var units = 0
        var waiting: [CheckedContinuation<Void, any Error>] = []
    }

    /// A unit's own failure, already undone inside the batch: the other units of the batch stand.
    private struct UnitFailure: Error {
        var error: any Error
    }

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

    /// Runs one statement: a `SELECT` on the reader, anything else on the writer as a unit of the group commit.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        if Self.isRead(sql) { return try await reader.query(sql, binds) }
        return try await commitUnit { transaction in
            do {
                return try await transaction.query(sql, binds)
            } catch let error as SQLiteError where error.isStatementLevel {
                // SQLite undid just this statement; the batch's other units stand.
                throw UnitFailure(error: error)
            }
        }
    }

    private static func isRead(_ sql: String) -> Bool {
        sql.drop(while: \.isWhitespace).prefix(6).uppercased() == "SELECT"
    }

    /// Runs `body` atomically: its statements all commit or none do, and it returns only once they are committed.
    ///
    /// The body runs inside a savepoint of the writer's current batch (see `commitUnit`); when it throws, the
    /// savepoint is rolled back and the rest of the batch is unaffected.
    func transaction<T: Sendable>(_ body: (SQLiteTransaction) async throws -> T) async throws -> T {
        try await commitUnit { transaction in
            try await transaction.query("SAVEPOINT unit", [])
            let value: T
            do {
                value = try await body(transaction)
            } catch {
                // If the savepoint cannot be rolled back, the batch is lost: the error escapes as a batch failure.
                try await transaction.query("ROLLBACK TO unit", [])
                try await transaction.query("RELEASE unit", [])
                throw UnitFailure(error: error)
            }
            try await transaction.query("RELEASE unit", [])
            return value
        }
    }

    /// Runs `unit` on the writer inside the open batch transaction and waits for the batch to commit (group commit).
    ///
    /// Writers queue for the writer lock. The holder opens a batch (`BEGIN IMMEDIATE`) if none is open, runs its unit,
    /// and then either passes the open batch to the next writer in line, or, when nobody is waiting or the batch is
    /// full, commits it. Every unit of a batch returns only after its `COMMIT` succeeded, so an acknowledged write is a
    /// committed one, exactly as with a transaction per write; concurrent writers share one commit instead of paying
    /// one each. A unit signals its own failure with `UnitFailure` (its changes are already undone); any other error
    /// rolls the whole batch back and fails every unit in it.
    private func commitUnit<T: Sendable>(_ unit: (SQLiteTransaction) async throws -> T) async throws -> T {
        await writerLock.lock()
        let outcome: Result<T, any Error>
        do {
            if !batch.withLock(\.isOpen) {
                _ = try await writer.query("BEGIN IMMEDIATE", [])
                batch.withLock { $0.isOpen = true }
            }
            outcome = .success(try await unit(SQLiteTransaction(connection: writer)))
        } catch let failure as UnitFailure {
            outcome = .failure(failure.error)
        } catch {
            await abortBatch(error)
            writerLock.unlock()
            throw error
        }
        let units = batch.withLock { batch in
            batch.units += 1
            return batch.units
        }
        if writerLock.hasWaiters, units < Self.maxBatch {
            // The next writer in line runs in this batch and commits it or passes it on: wait for that commit.
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                batch.withLock { $0.waiting.append(continuation) }
                writerLock.unlock()
            }
        } else {
            defer { writerLock.unlock() }
            try await commitBatch()
        }
        return try outcome.get()
    }

    /// Commits the open batch and tells its waiting units, or fails them all when the commit fails.
    private func commitBatch() async throws {
        do {
            _ = try await writer.query("COMMIT", [])
        } catch {
            await abortBatch(error)
            throw error
        }
        let waiting = batch.withLock { batch in
            defer { batch = Batch() }
            return batch.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Rolls the open batch back and fails every unit waiting for it.
    private func abortBatch(_ error: any Error) async {
        _ = try? await writer.query("ROLLBACK", [])
        let waiting = batch.withLock { batch in
            defer { batch = Batch() }
            return batch.waiting
        }
        for continuation in waiting { continuation.resume(throwing: error) }
    }

    /// Commits any open batch, then closes the connections.
    func close() async throws {
        await writerLock.lock()
        defer { writerLock.unlock() }
        if batch.withLock(\.isOpen) { try await commitBatch() }
        try await writer.close()
        if reader !== writer { try await reader.close() }
        try await writerThread.shutdownGracefully()
    }
}

extension SQLiteError {
    /// Whether SQLite undid only the failing statement, leaving the transaction open (a constraint failure).
    fileprivate var isStatementLevel: Bool {
        switch reason {
        case .constraint, .constraintCheckFailed, .constraintNotNullFailed, .constraintPrimaryKeyFailed,
            .constraintUniqueFailed, .constraintForeignKeyFailed, .constraintStrictDataTypeFailed:
            true
        default: false
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
