/// Gives up on a stream that has produced no text within a time limit, so that a fallback can answer instead.
///
/// The clock starts when the stream is created and stops when the first ``ChatStreamEvent/delta(_:)`` is relayed;
/// past the limit the request is cancelled and the stream ends with ``ProviderError/firstTokenTimeout(_:)``.
/// Non-streaming calls pass through unchanged (their whole reply is the "first token"; bound them with
/// ``DeadlineChatProvider``).
///
/// The timer runs on a NIO event loop thread, so it fires on time even when CPU-bound work holds every thread of
/// Swift's cooperative pool. Text that arrived but could not be relayed in time for lack of a cooperative thread
/// counts as late, as it does for the visitor.
public struct FirstTokenTimeoutChatProvider: ChatProvider {
    public let base: any ChatProvider
    /// The longest wait for the first text.
    public let limit: Duration

    public var name: String { base.name }

    /// Wraps `base` with a first-token limit.
    public init(_ base: any ChatProvider, limit: Duration) {
        self.base = base
        self.limit = limit
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await base.complete(request)
    }

    public func stream(_ request: ChatRequest) -> ChatEventStream {
        let base = base
        return StreamTimeLimit.relay(
            { base.stream(request) },
            firstDeltaBy: (.now + limit, .firstTokenTimeout(limit)),
            endBy: nil
        )
    }
}
