import Synchronization

/// A circuit breaker for one provider: after `failureThreshold` consecutive provider faults it opens and refuses
/// calls for `coolDown`, then lets one probe call through (half-open); the probe's success closes it, its failure
/// opens it again.
///
/// Only ``ProviderError/isProviderFault`` failures count; a 400 or a cancellation neither counts nor resets the
/// count. Thread-safe; share one instance per provider (per tenant configuration) across calls.
public final class CircuitBreaker: Sendable {
    /// The breaker's position.
    public enum Status: Sendable, Hashable {
        /// Calls go through; the count of consecutive faults is below the threshold.
        case closed(consecutiveFailures: Int)
        /// Calls are refused until the cool-down ends.
        case open
        /// The cool-down ended: one probe call may go through.
        case halfOpen
    }

    /// A permission to make one call, returned by ``acquire()``; report its outcome exactly once.
    public struct Permit: Sendable {
        /// Whether this call is the half-open probe.
        public let isProbe: Bool
    }

    private enum State {
        case closed(failures: Int)
        case open(since: ContinuousClock.Instant)
        case halfOpen(probeInFlight: Bool)
    }

    /// The name reported in ``ProviderError/circuitOpen(provider:retryIn:)``.
    public let name: String
    /// Consecutive provider faults that open the breaker.
    public let failureThreshold: Int
    /// How long the breaker stays open before a probe.
    public let coolDown: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State.closed(failures: 0))

    /// Creates a closed breaker.
    ///
    /// - Parameter now: the clock, injectable so that tests can move time.
    public init(
        name: String,
        failureThreshold: Int = 5,
        coolDown: Duration = .seconds(30),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.name = name
        self.failureThreshold = max(1, failureThreshold)
        self.coolDown = coolDown
        self.now = now
    }

    /// The current position (an open breaker whose cool-down has ended reads as half-open).
    public var status: Status {
        let now = now()
        return state.withLock { state in
            switch state {
            case .closed(let failures): .closed(consecutiveFailures: failures)
            case .open(let since): since.duration(to: now) >= coolDown ? .halfOpen : .open
            case .halfOpen: .halfOpen
            }
        }
    }

    /// Asks to make a call; throws ``ProviderError/circuitOpen(provider:retryIn:)`` when the breaker refuses.
    public func acquire() throws(ProviderError) -> Permit {
        let now = now()
        let decision: Result<Permit, ProviderError> = state.withLock { state in
            switch state {
            case .closed:
                return .success(Permit(isProbe: false))
            case .open(let since):
                let elapsed = since.duration(to: now)
                guard elapsed >= coolDown else {
                    return .failure(.circuitOpen(provider: name, retryIn: coolDown - elapsed))
                }
                state = .halfOpen(probeInFlight: true)
                return .success(Permit(isProbe: true))
            case .halfOpen(let probeInFlight):
                if probeInFlight { return .failure(.circuitOpen(provider: name, retryIn: .zero)) }
                state = .halfOpen(probeInFlight: true)
                return .success(Permit(isProbe: true))
            }
        }
        return try decision.get()
    }

    /// Reports that the permitted call succeeded; closes the breaker.
    public func recordSuccess(_ permit: Permit) {
        state.withLock { $0 = .closed(failures: 0) }
    }

    /// Reports that the permitted call failed with `error`.
    public func recordFailure(_ permit: Permit, error: ProviderError) {
        let now = now()
        state.withLock { state in
            switch state {
            case .closed(let failures):
                guard error.isProviderFault else { return }
                state = failures + 1 >= failureThreshold ? .open(since: now) : .closed(failures: failures + 1)
            case .halfOpen:
                // A probe that failed for a reason unrelated to health (a 400, a cancellation) lets another probe try.
                state = error.isProviderFault ? .open(since: now) : .halfOpen(probeInFlight: false)
            case .open:
                break
            }
        }
    }
}
