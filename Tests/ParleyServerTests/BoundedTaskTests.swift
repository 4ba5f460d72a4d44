import Synchronization
import Testing

/// The test helper's own bound: it must hold even for an operation that never heeds cancellation.
@Suite("Bounded test tasks")
struct BoundedTaskTests {
    /// A wait that ignores cancellation, released only by `open()`.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.open { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        func open() {
            let waiter = state.withLock { state in
                state.open = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    @Test("an operation that ignores cancellation still fails at the limit, while it is still waiting")
    func boundsAnUncooperativeOperation() async throws {
        let gate = Gate()
        let finished = Atomic<Bool>(false)
        let task = boundedTask(within: .milliseconds(50)) {
            await gate.wait()
            finished.store(true, ordering: .sequentiallyConsistent)
            return 1
        }
        await #expect(throws: TestDeadlineExceeded.self) { try await task.value }
        #expect(finished.load(ordering: .sequentiallyConsistent) == false)
        gate.open()
    }

    @Test("an operation that finishes in time gives its value, and its error")
    func passesResultsThrough() async throws {
        #expect(try await boundedTask(within: .seconds(60)) { 42 }.value == 42)
        struct Failure: Error {}
        await #expect(throws: Failure.self) { try await boundedTask(within: .seconds(60)) { throw Failure() }.value }
    }
}
