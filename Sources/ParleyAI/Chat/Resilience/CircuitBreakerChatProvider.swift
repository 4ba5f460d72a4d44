/// Guards a provider with a ``CircuitBreaker``: while the breaker is open, calls fail at once with
/// ``ProviderError/circuitOpen(provider:retryIn:)`` and no request is sent.
///
/// A stream counts as a success when it ends normally and as a failure when it ends with a provider fault; a stream
/// the consumer abandons counts as neither.
public struct CircuitBreakerChatProvider: ChatProvider {
    public let base: any ChatProvider
    public let breaker: CircuitBreaker

    public var name: String { base.name }

    /// Wraps `base` with `breaker`.
    public init(_ base: any ChatProvider, breaker: CircuitBreaker) {
        self.base = base
        self.breaker = breaker
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let permit = try breaker.acquire()
        do {
            let response = try await base.complete(request)
            breaker.recordSuccess(permit)
            return response
        } catch {
            let failure = ProviderError(wrapping: error)
            breaker.recordFailure(permit, error: failure)
            throw failure
        }
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let base = base
        let breaker = breaker
        return ChatEventStream.make { continuation in
            let permit = try breaker.acquire()
            do {
                for try await event in base.stream(request) { continuation.yield(event) }
                // A cancelled consumer ends the inner stream quietly; that says nothing about the provider.
                if Task.isCancelled {
                    breaker.recordFailure(permit, error: .cancelled)
                } else {
                    breaker.recordSuccess(permit)
                }
            } catch {
                let failure = ProviderError(wrapping: error)
                breaker.recordFailure(permit, error: Task.isCancelled ? .cancelled : failure)
                throw failure
            }
        }
    }
}
