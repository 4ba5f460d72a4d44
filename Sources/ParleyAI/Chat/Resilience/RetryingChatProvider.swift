/// Sends a request again after a retryable failure, following a ``RetryPolicy``.
///
/// A stream is retried only while it has yielded nothing: once text reached the consumer, a failure ends the
/// stream. A pause that would end after ``ChatDeadline/current`` is not taken, and no attempt starts after it; the
/// failure is reported instead so that the caller (or the fallback list) can use the time left.
public struct RetryingChatProvider: ChatProvider {
    /// Sleeps for a duration; injectable so that tests can record the pauses.
    ///
    /// The default is `Task.sleep`. Its wake-up needs a free cooperative thread, like the attempt that follows it,
    /// so a busy pool can make it late; the ``ChatDeadline`` is therefore enforced around it by a timer on a NIO
    /// event loop thread, not by the sleeper.
    public typealias Sleeper = @Sendable (Duration) async throws -> Void

    public let base: any ChatProvider
    public let policy: RetryPolicy
    private let sleep: Sleeper
    private let random: @Sendable () -> Double

    public var name: String { base.name }

    /// Wraps `base` with retries.
    public init(
        _ base: any ChatProvider,
        policy: RetryPolicy = RetryPolicy(),
        sleep: @escaping Sleeper = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.base = base
        self.policy = policy
        self.sleep = sleep
        self.random = random
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        var attempt = 1
        while true {
            do {
                return try await base.complete(request)
            } catch {
                let failure = ProviderError(wrapping: error)
                try await pause(after: failure, attempt: attempt)
                attempt += 1
            }
        }
    }

    public func stream(_ request: ChatRequest) -> ChatEventStream {
        let retrying = self
        return ChatEventStream {
            var attempt = 1
            return RestartingCursor(start: { retrying.base.stream(request) }) { failure in
                try await retrying.pause(after: failure, attempt: attempt)
                attempt += 1
                return retrying.base.stream(request)
            }
        }
    }

    /// Sleeps before the next attempt, or rethrows `failure` when there is none.
    ///
    /// Under a ``ChatDeadline`` the pause is bounded the way ``DeadlineChatProvider`` bounds a call: a pause that
    /// would end after the deadline is not taken, a ``DeadlineTimer`` at the deadline ends a pause that overruns
    /// it, and a pause that woke late (its task waited for a free cooperative thread) does not start an attempt
    /// after the deadline.
    private func pause(after failure: ProviderError, attempt: Int) async throws {
        guard !Task.isCancelled, let delay = policy.delay(after: failure, attempt: attempt, random: random()) else {
            throw failure
        }
        let deadline = ChatDeadline.current
        if let deadline, ContinuousClock.now + delay >= deadline { throw failure }
        let sleep = sleep
        do {
            if let deadline {
                try await TimeLimit.run(until: deadline, onTimeout: failure) { try await sleep(delay) }
            } else {
                try await sleep(delay)
            }
        } catch let error as ProviderError where error == failure {
            throw failure
        } catch {
            throw ProviderError.cancelled
        }
        if Task.isCancelled { throw ProviderError.cancelled }
        if let deadline, ContinuousClock.now >= deadline { throw failure }
    }
}
