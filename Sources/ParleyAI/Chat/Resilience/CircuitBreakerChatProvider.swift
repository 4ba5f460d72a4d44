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

    public func stream(_ request: ChatRequest) -> ChatEventStream {
        let base = base
        let breaker = breaker
        return ChatEventStream { BreakerCursor(base: base, breaker: breaker, request: request) }
    }
}

/// Reads a reply under a breaker's permit, and reports to the breaker how the reply ended.
private final class BreakerCursor: ChatEventCursor {
    private let base: any ChatProvider
    private let breaker: CircuitBreaker
    private let request: ChatRequest
    private var permit: CircuitBreaker.Permit?
    private var current: ChatEventStream.Iterator?
    private var ended = false

    init(base: any ChatProvider, breaker: CircuitBreaker, request: ChatRequest) {
        self.base = base
        self.breaker = breaker
        self.request = request
    }

    func next() async throws -> ChatStreamEvent? {
        guard !ended else { return nil }
        if current == nil {
            if Task.isCancelled { throw end(.cancelled) }
            do {
                permit = try breaker.acquire()
            } catch {
                throw end(error)
            }
            current = base.stream(request).makeAsyncIterator()
        }
        do {
            if let event = try await current?.next() { return event }
            // A cancelled consumer ends the inner stream quietly; that says nothing about the provider.
            if Task.isCancelled {
                settle { breaker.recordFailure($0, error: .cancelled) }
            } else {
                settle { breaker.recordSuccess($0) }
            }
            ended = true
            return nil
        } catch {
            let failure = ProviderError(wrapping: error)
            let counted = Task.isCancelled ? ProviderError.cancelled : failure
            settle { breaker.recordFailure($0, error: counted) }
            throw end(failure)
        }
    }

    /// Reports the permit's outcome, once.
    private func settle(_ report: (CircuitBreaker.Permit) -> Void) {
        if let permit { report(permit) }
        permit = nil
    }

    private func end(_ error: ProviderError) -> ProviderError {
        ended = true
        current = nil
        return error
    }

    deinit {
        // Abandoned mid-reply: neither a success nor a fault, but a half-open breaker may probe again.
        if let permit { breaker.recordFailure(permit, error: .cancelled) }
    }
}
