import Synchronization

/// A test's wait that outlived its limit.
struct TestDeadlineExceeded: Error, CustomStringConvertible {
    let limit: Duration

    var description: String { "the operation did not finish within \(limit)" }
}

/// Starts `operation` as a task whose value is its result, or `TestDeadlineExceeded` once `limit` has passed.
///
/// Tests that read a stream on a task of their own use it so that a stream the server never ends fails the test
/// instead of hanging the run: awaiting a task's value does not pass cancellation on to it, and a client's deadline
/// (AsyncHTTPClient's `execute(timeout:)`) covers only the response head. At the limit the operation is cancelled
/// and the task fails at once, even when the operation does not heed the cancellation (a task group would wait for
/// it): a hang is then this test's failure, not the whole run's.
func boundedTask<T: Sendable>(
    within limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) -> Task<T, any Error> {
    Task {
        let work = Task { try await operation() }
        let outcome = FirstOutcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.wait(continuation)
                let timer = Task {
                    try await Task.sleep(for: limit)
                    work.cancel()
                    outcome.resume(with: .failure(TestDeadlineExceeded(limit: limit)))
                }
                Task {
                    let result = await work.result
                    timer.cancel()
                    outcome.resume(with: result)
                }
            }
        } onCancel: {
            work.cancel()
        }
    }
}

/// The first of several outcomes, handed to one waiting continuation; the later ones are dropped.
private final class FirstOutcome<T: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<T, any Error>)
        case done(Result<T, any Error>?)
    }

    private let state = Mutex(State.empty)

    /// Takes the continuation to resume, or resumes it at once when an outcome came first.
    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let ready: Result<T, any Error>? = state.withLock { state in
            guard case .done(let result) = state else {
                state = .waiting(continuation)
                return nil
            }
            state = .done(nil)
            return result
        }
        if let ready { continuation.resume(with: ready) }
    }

    /// Hands `result` to the waiting continuation if it is the first outcome.
    func resume(with result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = state.withLock { state in
            switch state {
            case .empty:
                state = .done(result)
                return nil
            case .waiting(let continuation):
                state = .done(nil)
                return continuation
            case .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
