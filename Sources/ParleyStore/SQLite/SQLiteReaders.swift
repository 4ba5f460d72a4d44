import NIOPosix
import Synchronization

/// Reading connections, opened as needed and reused, each used by one pool thread at a time.
///
/// In WAL mode readers never wait for the writer and see only committed data. A read runs all its statements in one
/// hop to a thread-pool thread, on a connection that keeps its prepared statements.
final class SQLiteReaders: Sendable {
    private let open: @Sendable () throws -> SQLiteHandle
    private let idle = Mutex<[SQLiteHandleBox]>([])
    private let threads: NIOThreadPool

    init(threads: NIOThreadPool, open: @escaping @Sendable () throws -> SQLiteHandle) {
        self.threads = threads
        self.open = open
    }

    /// Runs `body` on an idle reading connection, off the caller's thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteHandle) throws -> T) async throws -> T {
        try await threads.runIfActive {
            let connection = try self.idle.withLock { $0.popLast() } ?? SQLiteHandleBox(self.open())
            defer { self.idle.withLock { $0.append(connection) } }
            return try body(connection.handle)
        }
    }

    /// Closes the idle connections (call once nothing reads any more).
    func close() {
        for connection in idle.withLock({ idle in
            defer { idle = [] }
            return idle
        }) { connection.handle.close() }
    }
}
