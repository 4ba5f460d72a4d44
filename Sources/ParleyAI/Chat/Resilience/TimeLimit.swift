import Synchronization

/// Runs an operation against a deadline and returns on time even if the operation ignores cancellation, or if
/// CPU-bound work holds every cooperative thread.
///
/// A task group would wait for its cancelled child; this runs the operation in an unstructured task and resumes
/// the caller with whichever comes first, the operation's result or the deadline, cancelling the operation without
/// waiting for it. The deadline is a ``DeadlineTimer`` on an event loop thread, not a cooperative task: at the
/// deadline it hands the caller the timeout and cancels the operation even when no cooperative thread is free.
public enum TimeLimit {
    /// Runs `operation` until `deadline`; its errors and the timeout come as ``ProviderError``s.
    static func run<T: Sendable>(
        until deadline: ContinuousClock.Instant,
        onTimeout timeoutError: ProviderError,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await race(
            until: deadline, onTimeout: timeoutError, onCancel: ProviderError.cancelled,
            wrap: { ProviderError(wrapping: $0) }, operation)
    }

    /// Runs `operation` for at most `limit`: past it the operation is cancelled and `timeoutError` is thrown; the
    /// operation's own errors pass through as they are, and a cancelled caller gets `CancellationError`.
    ///
    /// For exchanges whose own timeouts leave a gap, such as an HTTP client's deadline that ends once the response
    /// head arrives: a body that trickles in a byte at a time would otherwise hold its caller forever.
    public static func run<T: Sendable>(
        within limit: Duration, onTimeout timeoutError: any Error,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await race(
            until: .now + limit, onTimeout: timeoutError, onCancel: CancellationError(), wrap: { $0 }, operation)
    }

    private static func race<T: Sendable>(
        until deadline: ContinuousClock.Instant, onTimeout timeoutError: any Error, onCancel cancelError: any Error,
        wrap: @escaping @Sendable (any Error) -> any Error, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard race.install(continuation) else { return }
                let work = Task {
                    // Cancelled before it started (the deadline passed while no cooperative thread was free):
                    // the caller has its answer, so the operation is not started at all.
                    guard !Task.isCancelled else { return race.finish(.failure(cancelError)) }
                    do {
                        race.finish(.success(try await operation()))
                    } catch {
                        race.finish(.failure(wrap(error)))
                    }
                }
                race.teardown.add { work.cancel() }
                let timer = DeadlineTimer(at: deadline) { race.finish(.failure(timeoutError)) }
                race.teardown.add { timer.cancel() }
            }
        } onCancel: {
            race.finish(.failure(cancelError))
        }
    }
}

/// The shared state of one ``TimeLimit`` race: the caller's continuation and the outcome, decided once.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var result: Result<T, any Error>?
    }

    private let state = Mutex(State())
    /// Cancels the operation and the timer when the race ends.
    let teardown = Teardown()

    /// Stores the continuation; returns `false` (having resumed it) when the race is already over.
    func install(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
        let early: Result<T, any Error>? = state.withLock { state in
            if let result = state.result { return result }
            state.continuation = continuation
            return nil
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    /// Ends the race with `result` unless it already ended: resumes the caller, then tears down.
    func finish(_ result: Result<T, any Error>) {
        let (won, continuation): (Bool, CheckedContinuation<T, any Error>?) = state.withLock { state in
            guard state.result == nil else { return (false, nil) }
            state.result = result
            defer { state.continuation = nil }
            return (true, state.continuation)
        }
        guard won else { return }
        continuation?.resume(with: result)
        teardown.run()
    }
}
