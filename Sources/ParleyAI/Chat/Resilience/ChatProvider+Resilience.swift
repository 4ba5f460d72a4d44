extension ChatProvider {
    /// This provider with retries (see ``RetryingChatProvider``).
    public func retrying(_ policy: RetryPolicy = RetryPolicy()) -> RetryingChatProvider {
        RetryingChatProvider(self, policy: policy)
    }

    /// This provider guarded by `breaker` (see ``CircuitBreakerChatProvider``).
    public func guarded(by breaker: CircuitBreaker) -> CircuitBreakerChatProvider {
        CircuitBreakerChatProvider(self, breaker: breaker)
    }

    /// This provider with a first-token limit on streams (see ``FirstTokenTimeoutChatProvider``).
    public func firstTokenTimeout(_ limit: Duration) -> FirstTokenTimeoutChatProvider {
        FirstTokenTimeoutChatProvider(self, limit: limit)
    }

    /// This provider bounded by an overall deadline (see ``DeadlineChatProvider``).
    public func deadline(_ budget: Duration, streamBudget: Duration = .seconds(90)) -> DeadlineChatProvider {
        DeadlineChatProvider(self, budget: budget, streamBudget: streamBudget)
    }
}
