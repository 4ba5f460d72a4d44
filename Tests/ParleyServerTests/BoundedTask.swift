/// A test's wait that outlived its limit.
struct TestDeadlineExceeded: Error, CustomStringConvertible {
    let limit: Duration

    var description: String { "the operation did not finish within \(limit)" }
}

/// Starts `operation` as a task that is cancelled and fails with `TestDeadlineExceeded` once `limit` has passed.
///
/// Tests that read a stream on a task of their own use it so that a stream the server never ends fails the test
/// instead of hanging the run: awaiting a task's value does not pass cancellation on to it, and a client's deadline
/// (AsyncHTTPClient's `execute(timeout:)`) covers only the response head.
func boundedTask<T: Sendable>(
    within limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) -> Task<T, any Error> {
    Task {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw TestDeadlineExceeded(limit: limit)
            }
            return value
        }
    }
}
