import Synchronization

/// A gate that a ``FakeOpenAIServer`` reply waits at (``FakeReply/Step/wait(_:)``) until the test opens it, so that
/// a test can check what the client saw before the rest of a response was even sent.
final class FakeGate: Sendable {
    private let opened = Atomic(false)

    /// Whether the gate is open: opened by the test, or given up on by the server after the wait limit.
    var isOpen: Bool { opened.load(ordering: .acquiring) }

    func open() {
        opened.store(true, ordering: .releasing)
    }

    /// Waits until the gate opens, polling; opens it after `limit` so that a test that never opens it cannot hang.
    func wait(limit: Duration = .seconds(10)) async throws {
        let giveUp = ContinuousClock.now + limit
        while !isOpen {
            guard ContinuousClock.now < giveUp else { return open() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
