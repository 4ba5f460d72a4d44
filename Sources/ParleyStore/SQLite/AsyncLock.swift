import Synchronization

/// A lock held across suspension points: callers queue in order and run one at a time.
final class AsyncLock: Sendable {
    private struct State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Runs `body` while holding the lock.
    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await lock()
        defer { unlock() }
        return try await body()
    }

    /// Whether callers are queued for the lock; meaningful to the holder, as a hint that more work is coming.
    var hasWaiters: Bool { state.withLock { !$0.waiters.isEmpty } }

    /// Takes the lock, waiting in line for it; pair with `unlock()`.
    func lock() async {
        let acquired = state.withLock { state -> Bool in
            guard state.locked else {
                state.locked = true
                return true
            }
            return false
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let acquiredNow = state.withLock { state -> Bool in
                guard state.locked else {
                    state.locked = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquiredNow { continuation.resume() }
        }
    }

    /// Hands the lock to the first caller in line, or frees it.
    func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
