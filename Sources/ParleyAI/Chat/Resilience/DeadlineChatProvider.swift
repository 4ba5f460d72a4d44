/// Bounds a whole turn so that it never hangs: past the budget the call fails with
/// ``ProviderError/deadlineExceeded(_:)`` and the caller offers a human.
///
/// Put it outermost, around the fallback list. A non-streaming call must return within `budget`; a stream must
/// produce its first text within `budget` and finish within `streamBudget`. The deadline is published as
/// ``ChatDeadline/current`` to the providers inside (an enclosing, earlier deadline wins). The error arrives on time
/// even if an inner provider ignores cancellation, and the deadline fires (ending the call and cancelling its HTTP
/// request) on time even when CPU-bound work holds every thread of Swift's cooperative pool: its timer runs on a NIO
/// event loop thread, not as a cooperative task.
public struct DeadlineChatProvider: ChatProvider {
    public let base: any ChatProvider
    /// The time to a complete answer, or to the first streamed text.
    public let budget: Duration
    /// The time to the end of a stream.
    public let streamBudget: Duration

    public var name: String { base.name }

    /// Wraps `base` with an overall deadline.
    public init(_ base: any ChatProvider, budget: Duration = .seconds(3), streamBudget: Duration = .seconds(90)) {
        self.base = base
        self.budget = budget
        self.streamBudget = max(budget, streamBudget)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let deadline = Self.earliest(.now + budget)
        let base = base
        return try await ChatDeadline.$current.withValue(deadline) {
            try await TimeLimit.run(until: deadline, onTimeout: .deadlineExceeded(budget)) {
                try await base.complete(request)
            }
        }
    }

    public func stream(_ request: ChatRequest) -> ChatEventStream {
        let start = ContinuousClock.now
        let firstDeadline = Self.earliest(start + budget)
        let endDeadline = Self.earliest(start + streamBudget)
        let base = base
        // Tasks created inside inherit the task-local deadline, so inner wrappers see it.
        return ChatDeadline.$current.withValue(firstDeadline) {
            StreamTimeLimit.relay(
                { base.stream(request) },
                firstDeltaBy: (firstDeadline, .deadlineExceeded(budget)),
                endBy: (endDeadline, .deadlineExceeded(streamBudget))
            )
        }
    }

    private static func earliest(_ instant: ContinuousClock.Instant) -> ContinuousClock.Instant {
        guard let outer = ChatDeadline.current else { return instant }
        return min(outer, instant)
    }
}
