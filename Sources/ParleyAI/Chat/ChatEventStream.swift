/// A chat reply as it is generated: the events a ``ChatProvider`` streams, read with `for try await`.
///
/// Providers that talk to a server feed the stream from a task of their own (``producing(_:)``). Wrappers that
/// only decide what to read next, such as retries, the fallback list and the circuit breaker, read their inner
/// stream in the consumer's own task through a ``ChatEventCursor``: an event passes through them without
/// another task hop, which is what keeps the gateway's added latency to a few microseconds per wrapper.
///
/// A stream made by a wrapper (retries, fallback, breaker) starts its reply when it is first read, anew for each
/// iteration; a producing or relaying stream starts when it is made and is read once. An iteration ends with an
/// error of type ``ProviderError``. When the consumer stops iterating, or its task is cancelled, the request is
/// cancelled.
public struct ChatEventStream: AsyncSequence, Sendable {
    public typealias Element = ChatStreamEvent
    /// The stream type a producing task yields into.
    public typealias Events = AsyncThrowingStream<ChatStreamEvent, any Error>

    private let makeCursor: @Sendable () -> any ChatEventCursor

    /// A stream of the events `stream` yields.
    public init(_ stream: Events) {
        makeCursor = { StreamCursor(stream.makeAsyncIterator()) }
    }

    /// A stream read through a new cursor on each iteration.
    init(cursor makeCursor: @escaping @Sendable () -> any ChatEventCursor) {
        self.makeCursor = makeCursor
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(cursor: makeCursor())
    }

    /// Reads the events of one iteration.
    public struct Iterator: AsyncIteratorProtocol {
        let cursor: any ChatEventCursor

        public mutating func next() async throws -> ChatStreamEvent? {
            try await cursor.next()
        }
    }

    /// Runs `produce` in a new task that yields into the returned stream.
    ///
    /// The stream finishes when `produce` returns, or with its error wrapped as a ``ProviderError``. When the
    /// consumer stops iterating (or its task is cancelled) the producing task is cancelled, which cancels any HTTP
    /// request it is waiting on. A task cancelled before it even started (the consumer gave up while no cooperative
    /// thread was free) does not start `produce`, so no request is sent for nobody. The task inherits task-local
    /// values, such as ``ChatDeadline``.
    static func producing(_ produce: @escaping @Sendable (Events.Continuation) async throws -> Void) -> Self {
        let (stream, continuation) = Events.makeStream()
        let task = Task {
            guard !Task.isCancelled else { return continuation.finish(throwing: ProviderError.cancelled) }
            do {
                try await produce(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: ProviderError(wrapping: error))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return ChatEventStream(stream)
    }
}

/// Reads an `AsyncThrowingStream`.
private final class StreamCursor: ChatEventCursor {
    private var iterator: ChatEventStream.Events.AsyncIterator

    init(_ iterator: ChatEventStream.Events.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ChatStreamEvent? {
        try await iterator.next()
    }
}
