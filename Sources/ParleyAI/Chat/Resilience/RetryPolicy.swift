/// When and how long ``RetryingChatProvider`` waits before sending a failed request again.
///
/// Only retryable failures (``ProviderError/isRetryable``: 429, 5xx, 408, timeouts, broken connections) are
/// retried. The pause is the server's `Retry-After` when it sent one, otherwise exponential backoff with jitter:
/// attempt *n* (1-based) waits `initialBackoff × multiplier^(n-1)`, capped at `maximumBackoff`, then shortened by a
/// random fraction up to `jitter` so that many clients do not retry in lockstep.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The pause before the first retry.
    public var initialBackoff: Duration
    /// The longest computed pause.
    public var maximumBackoff: Duration
    /// The growth factor between pauses.
    public var multiplier: Double
    /// The largest fraction of a pause removed at random (0 disables jitter, 1 is "full jitter").
    public var jitter: Double
    /// The longest `Retry-After` honoured.
    ///
    /// When a server asks for more, the call fails at once instead, so that the fallback provider answers rather
    /// than the visitor waiting (or the retry earning another 429).
    public var maximumRetryAfter: Duration

    /// Creates a policy; the defaults fit a chat turn with a 3-second budget.
    public init(
        maxAttempts: Int = 3,
        initialBackoff: Duration = .milliseconds(200),
        maximumBackoff: Duration = .seconds(2),
        multiplier: Double = 2,
        jitter: Double = 0.5,
        maximumRetryAfter: Duration = .seconds(5)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// The pause after failed attempt `attempt` (1-based), or `nil` when the call should not be retried.
    ///
    /// - Parameter random: a number in `0..<1` choosing the jitter.
    public func delay(after error: ProviderError, attempt: Int, random: Double) -> Duration? {
        guard error.isRetryable, attempt < maxAttempts else { return nil }
        if let retryAfter = error.retryAfter {
            return retryAfter <= maximumRetryAfter ? retryAfter : nil
        }
        let exponential = initialBackoff * pow(multiplier, attempt - 1)
        let capped = min(exponential, maximumBackoff)
        return capped * (1 - jitter * min(max(random, 0), 1))
    }

    private func pow(_ base: Double, _ exponent: Int) -> Double {
        (0..<max(0, exponent)).reduce(1) { result, _ in result * base }
    }
}
