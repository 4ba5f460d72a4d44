/// Builds the `AsyncThrowingStream` that providers return, fed by a task that stops when the consumer does.
enum ChatEventStream {
    /// The stream type every ``ChatProvider`` returns.
    typealias Stream = AsyncThrowingStream<ChatStreamEvent, any Error>

    /// Runs `produce` in a new task that yields into the returned stream.
    ///
    /// The stream finishes when `produce` returns, or with its error wrapped as a ``ProviderError``. When the
    /// consumer stops iterating (or its task is cancelled) the producing task is cancelled, which cancels any HTTP
    /// request it is waiting on. A task cancelled before it even started (the consumer gave up while no cooperative
    /// thread was free) does not start `produce`, so no request is sent for nobody. The task inherits task-local
    /// values, such as ``ChatDeadline``.
    static func make(_ produce: @escaping @Sendable (Stream.Continuation) async throws -> Void) -> Stream {
        let (stream, continuation) = Stream.makeStream()
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
        return stream
    }
}
