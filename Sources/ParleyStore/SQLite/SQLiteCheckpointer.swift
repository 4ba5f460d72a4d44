import NIOPosix
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its own.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the log's size threshold, on the writer's
/// thread, and at `synchronous = NORMAL` it is the only step that waits for the disk (two `fsync`s): every unit
/// queued behind that commit waits too. The writer turns automatic checkpoints off and calls `committed()` after its
/// commits instead; a passive checkpoint here never blocks the writer or readers and does the copying and the
/// flushing. But under a steady stream of commits it never quite catches up, and the log only restarts from its
/// beginning after a checkpoint that did: so once the log passes `restartFrames`, the writer is asked to finish the
/// checkpoint itself between two batches (`takeRestartRequest()`), which copies only what arrived since.
final class SQLiteCheckpointer: Sendable {
    private let connection: SQLiteHandleBox
    private let thread: NIOThreadPool
    private let state = Mutex(State())

    /// Commits between checkpoints.
    static let commitsPerCheckpoint = 256
    /// Log frames (pages) beyond which the writer finishes a checkpoint so the log restarts: 32 MiB of log.
    static let restartFrames = 8192
    private let restartWanted = Atomic<Bool>(false)

    private struct State {
        var commits = 0
        var isRunning = false
        var isClosed = false
    }

    init(connection: SQLiteHandle) {
        self.connection = SQLiteHandleBox(connection)
        thread = .namedThread("sqlite-checkpt")
    }

    /// Counts a commit; every `commitsPerCheckpoint` commits starts a checkpoint unless one is running.
    func committed() {
        let start = state.withLock { state -> Bool in
            state.commits += 1
            guard state.commits >= Self.commitsPerCheckpoint, !state.isRunning, !state.isClosed else { return false }
            state.commits = 0
            state.isRunning = true
            return true
        }
        guard start else { return }
        thread.submit { _ in
            // A failed checkpoint (a reader holding an old snapshot) is retried after the next commits. The result
            // row is (busy, frames in the log, frames copied).
            let result = try? self.connection.handle.query("PRAGMA wal_checkpoint(PASSIVE)").first
            if let frames = result?[1].integer, frames >= Self.restartFrames {
                self.restartWanted.store(true, ordering: .relaxed)
            }
            self.state.withLock { $0.isRunning = false }
        }
    }

    /// Whether the log has grown past `restartFrames` since the writer last finished a checkpoint; clears the request.
    func takeRestartRequest() -> Bool {
        restartWanted.exchange(false, ordering: .relaxed)
    }

    /// Waits for a running checkpoint, then closes the connection.
    func close() async throws {
        state.withLock { $0.isClosed = true }
        try await thread.shutdownGracefully()
        connection.handle.close()
    }
}
