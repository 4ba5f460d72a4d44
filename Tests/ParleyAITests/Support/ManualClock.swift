import Synchronization

/// A clock for ``CircuitBreaker`` tests that moves only when told to.
final class ManualClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex(Duration.zero)

    /// The current instant.
    var now: ContinuousClock.Instant { start + offset.withLock { $0 } }

    /// Moves time forward.
    func advance(by duration: Duration) {
        offset.withLock { $0 += duration }
    }
}
