import NIOPosix
import Synchronization

/// The one writing connection, on a thread of its own, committing queued units of work together (group commit).
///
/// A unit is a synchronous closure over the connection: all its statements run in one hop to the writer thread. Units
/// queue while the thread is busy; the thread takes what has queued (at most `maxBatch`), opens one transaction
/// (`BEGIN IMMEDIATE`), runs each unit inside a savepoint of its own, and commits once. A unit that throws has its
/// savepoint rolled back, so the other units of the batch stand. Every unit learns its result only after the `COMMIT`
/// succeeded, so an acknowledged write is a committed one, exactly as with a transaction per write; but concurrent
/// writers share one commit, and a busy writer never waits on anything but SQLite.
final class SQLiteWriter: Sendable {
    private let thread: NIOThreadPool
    private let connection: SQLiteHandleBox
    private let queue = Mutex(Queue())
    private let checkpointer: SQLiteCheckpointer?

    /// Most units committed together; bounds how long the first unit of a busy batch waits for its commit.
    static let maxBatch = 64

    /// What the writer thread reports to a unit once its batch is settled: nil when the batch committed.
    typealias Settle = @Sendable (_ batchFailure: (any Error)?) -> Void

    private struct Queue {
        var jobs: [Job] = []
        var isDraining = false
        var isClosed = false
    }

    /// A unit of work.
    ///
    /// `inTransaction` is false for reads that share the connection (an in-memory database).
    private struct Job: Sendable {
        var inTransaction: Bool
        /// Runs the unit; says whether it failed and how to settle it.
        var run: @Sendable (SQLiteHandle) -> (failed: Bool, settle: Settle)
        /// Fails the unit without running it.
        var fail: @Sendable (any Error) -> Void
    }

    /// A writer on `connection`; with a `checkpointer`, it reports its commits there (automatic checkpoints off).
    init(connection: SQLiteHandle, checkpointer: SQLiteCheckpointer?) {
        self.connection = SQLiteHandleBox(connection)
        self.checkpointer = checkpointer
        thread = .namedThread("sqlite-writer")
    }

    /// Runs `body` atomically inside the current batch; returns once the batch has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteHandle) throws -> T) async throws -> T {
        try await submit(inTransaction: true, body)
    }

    /// Runs `body` on the writer's connection outside any transaction, between batches.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteHandle) throws -> T) async throws -> T {
        try await submit(inTransaction: false, body)
    }

    private func submit<T: Sendable>(
        inTransaction: Bool, closing: Bool = false, _ body: @escaping @Sendable (SQLiteHandle) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                inTransaction: inTransaction,
                run: { handle in
                    let result = Result { try body(handle) }
                    let failed = if case .failure = result { true } else { false }
                    return (
                        failed,
                        { batchFailure in
                            if let batchFailure {
                                continuation.resume(throwing: batchFailure)
                            } else {
                                continuation.resume(with: result)
                            }
                        }
                    )
                },
                fail: { continuation.resume(throwing: $0) })
            enqueue(job, closing: closing)
        }
    }

    /// Queues `job`; when `closing`, it is the last job the writer takes.
    private func enqueue(_ job: Job, closing: Bool) {
        enum Next { case rejected, queued, startDrain }
        let next = queue.withLock { queue -> Next in
            guard !queue.isClosed else { return .rejected }
            queue.jobs.append(job)
            if closing { queue.isClosed = true }
            guard !queue.isDraining else { return .queued }
            queue.isDraining = true
            return .startDrain
        }
        switch next {
        case .rejected: job.fail(SQLiteFailure.closed)
        case .queued: break
        case .startDrain: thread.submit { _ in self.drain() }
        }
    }

    /// Runs batches on the writer thread until the queue is empty.
    private func drain() {
        let handle = connection.handle
        while true {
            let jobs = queue.withLock { queue -> [Job] in
                let taken = Array(queue.jobs.prefix(Self.maxBatch))
                queue.jobs.removeFirst(taken.count)
                if taken.isEmpty { queue.isDraining = false }
                return taken
            }
            if jobs.isEmpty { return }
            // In the order queued: the units before a read (or the close) commit before it runs.
            var units: [Job] = []
            for job in jobs {
                if job.inTransaction {
                    units.append(job)
                    continue
                }
                if !units.isEmpty { commit(units, on: handle) }
                units.removeAll(keepingCapacity: true)
                job.run(handle).settle(nil)
            }
            if !units.isEmpty { commit(units, on: handle) }
            if checkpointer?.takeRestartRequest() == true {
                // Between batches nothing else writes, so this checkpoint catches up and the log restarts.
                _ = try? handle.query("PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
    }

    /// Runs `units` in one transaction and settles each once the transaction's fate is known.
    private func commit(_ units: [Job], on handle: SQLiteHandle) {
        do {
            try handle.query("BEGIN IMMEDIATE")
        } catch {
            for unit in units { unit.fail(error) }
            return
        }
        var settles: [Settle] = []
        settles.reserveCapacity(units.count)
        for (position, unit) in units.enumerated() {
            do {
                try handle.query("SAVEPOINT unit")
                let (failed, settle) = unit.run(handle)
                settles.append(settle)
                if failed { try handle.query("ROLLBACK TO unit") }
                try handle.query("RELEASE unit")
                // A failure SQLite answers by rolling back the whole transaction (a full disk) ends the batch.
                if handle.isAutocommit { throw SQLiteFailure.batchRolledBack }
            } catch {
                abort(handle, error, settled: settles, pending: units[(position + 1)...])
                return
            }
        }
        do {
            try handle.query("COMMIT")
        } catch {
            abort(handle, error, settled: settles, pending: [])
            return
        }
        checkpointer?.committed()
        for settle in settles { settle(nil) }
    }

    /// Rolls the batch back and fails every unit in it, run or not.
    private func abort(_ handle: SQLiteHandle, _ error: any Error, settled: [Settle], pending: ArraySlice<Job>) {
        if !handle.isAutocommit { _ = try? handle.query("ROLLBACK") }
        for settle in settled { settle(error) }
        for unit in pending { unit.fail(error) }
    }

    /// How many jobs wait for the writer thread (not counting the batch it runs).
    var queuedJobs: Int { queue.withLock { $0.jobs.count } }

    /// Finishes every queued unit, then closes the connection and stops the thread; later units fail.
    func close() async throws {
        // The last job: jobs run in the order queued, so every unit queued before it commits first.
        try await submit(inTransaction: false, closing: true) { handle in handle.close() }
        try await thread.shutdownGracefully()
        try await checkpointer?.close()
    }
}

/// A connection handed to exactly one thread at a time: the writer thread, or a reader that checked it out.
final class SQLiteHandleBox: @unchecked Sendable {
    let handle: SQLiteHandle

    init(_ handle: SQLiteHandle) { self.handle = handle }
}

extension SQLiteFailure {
    /// The database was closed before the unit ran.
    static let closed = SQLiteFailure(code: 21, message: "the database is closed")  // SQLITE_MISUSE

    /// SQLite rolled the whole transaction back after a unit's statement failed.
    static let batchRolledBack = SQLiteFailure(code: 4, message: "the transaction was rolled back")  // SQLITE_ABORT
}
