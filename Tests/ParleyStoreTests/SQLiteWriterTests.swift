import Foundation
import Synchronization
import Testing

@testable import ParleyStore

@Suite("SQLite writer: order of jobs")
struct SQLiteWriterTests {
    /// Waits (up to ten seconds) until `condition` holds.
    private func until(_ condition: () -> Bool) async throws {
        for _ in 0..<1_000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition(), "the writer's queue never got there")
    }

    @Test("closing commits every unit queued before the close, and refuses those after")
    func closeCommitsWhatWasQueued() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let setup = try SQLiteHandle(path: path, readOnly: false)
        try setup.execute("CREATE TABLE t (n INTEGER)")
        setup.close()
        let writer = SQLiteWriter(connection: try SQLiteHandle(path: path, readOnly: false), checkpointer: nil)

        // The writer thread is held by a first unit, so the inserts and the close queue up behind it together.
        let gate = DispatchSemaphore(value: 0)
        let held = Mutex(false)
        let holding = Task {
            try await writer.write { _ in
                held.withLock { $0 = true }
                gate.wait()
            }
        }
        try await until { held.withLock { $0 } }
        let inserts = (1...20).map { n in
            Task { try await writer.write { try $0.query("INSERT INTO t VALUES (?)", [.integer(n)]) } }
        }
        try await until { writer.queuedJobs == 20 }
        let closing = Task { try await writer.close() }
        try await until { writer.queuedJobs == 21 }
        gate.signal()

        try await holding.value
        for insert in inserts { _ = try await insert.value }
        try await closing.value
        await #expect(throws: (any Error).self, "a unit after the close") {
            try await writer.write { try $0.query("INSERT INTO t VALUES (0)") }
        }
        let check = try SQLiteHandle(path: path, readOnly: true)
        defer { check.close() }
        #expect(try check.query("SELECT count(*) AS n FROM t").first?.int("n") == 20)
    }
}
