import ParleyCore
import Synchronization

/// Turns being processed right now, so that a resent message joins the running turn instead of starting another.
final class InFlightTurns: Sendable {
    private let running = Mutex<[MessageID: Task<ChatResult, any Error>]>([:])

    /// Runs `operation` for the message, or waits for the run already under way.
    func run(_ message: MessageID, _ operation: @escaping @Sendable () async throws -> ChatResult) async throws
        -> ChatResult
    {
        let task = running.withLock { running -> Task<ChatResult, any Error> in
            if let existing = running[message] { return existing }
            let task = Task { try await operation() }
            running[message] = task
            return task
        }
        defer { running.withLock { $0[message] = nil } }
        return try await task.value
    }

    /// How many turns are running.
    var count: Int { running.withLock { $0.count } }
}
