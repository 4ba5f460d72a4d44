import Synchronization

/// The turns one live connection is running, with a gate that its token's expiry closes.
///
/// A token that expires while a reply is being written must not cut the reply off: at the expiry the connection
/// stops taking frames (`close()`), then waits until the turns it already runs have ended (`count` is zero)
/// before it closes, so that their last frames reach the visitor.
final class RunningTurns: Sendable {
    private struct State {
        var open = true
        var running = 0
    }

    private let state = Mutex(State())

    /// Counts a new turn in; false, and nothing counted, once the gate is closed.
    func admit() -> Bool {
        state.withLock { state in
            guard state.open else { return false }
            state.running += 1
            return true
        }
    }

    /// Counts an admitted turn out.
    func end() {
        state.withLock { $0.running -= 1 }
    }

    /// Closes the gate: nothing more is admitted.
    func close() {
        state.withLock { $0.open = false }
    }

    /// Whether the gate is still open.
    var isOpen: Bool { state.withLock { $0.open } }

    /// How many admitted turns have not ended.
    var count: Int { state.withLock { $0.running } }
}
