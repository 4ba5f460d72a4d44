import ParleyCore
import Synchronization

/// Turns being processed right now, so that a resent message joins the running turn instead of starting another,
/// and a turn can be stopped when nobody waits for it any more or an agent takes the conversation over.
///
/// A turn runs in its own task. It is cancelled when every request waiting for it has gone (a streaming visitor
/// disconnected), or by `cancel(conversation:)`. Cancellation stops generation; the chain then finishes with the
/// partial reply, which is stored and marked `interrupted`.
final class InFlightTurns: Sendable {
    private struct Running {
        var task: Task<ChatResult, any Error>
        var conversation: ConversationID
        var waiters: Int
    }

    private let running = Mutex<[MessageID: Running]>([:])

    /// Runs `operation` for the message, or waits for the run already under way.
    func run(
        _ message: MessageID, conversation: ConversationID,
        _ operation: @escaping @Sendable () async throws -> ChatResult
    ) async throws -> ChatResult {
        let task = running.withLock { running -> Task<ChatResult, any Error> in
            if var existing = running[message] {
                existing.waiters += 1
                running[message] = existing
                return existing.task
            }
            let task = Task { try await operation() }
            running[message] = Running(task: task, conversation: conversation, waiters: 1)
            return task
        }
        // Every waiter of a finished run removes it, and a waiter may resume after a resend started a new run for the
        // message: each touches only the entry of its own run.
        defer { running.withLock { if $0[message]?.task == task { $0[message] = nil } } }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            let abandoned = running.withLock { running -> Bool in
                guard var entry = running[message], entry.task == task else { return false }
                entry.waiters -= 1
                running[message] = entry
                return entry.waiters == 0
            }
            if abandoned { task.cancel() }
        }
    }

    /// Stops the turns running in a conversation (an agent took it over); returns how many there were.
    @discardableResult
    func cancel(conversation: ConversationID) -> Int {
        let tasks = running.withLock { running in
            running.values.filter { $0.conversation == conversation }.map(\.task)
        }
        for task in tasks { task.cancel() }
        return tasks.count
    }

    /// How many turns are running.
    var count: Int { running.withLock { $0.count } }
}
