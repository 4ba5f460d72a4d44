import Synchronization

/// Clean-up actions (cancelling a task, a timer) run once, by whichever party ends an operation first.
///
/// An action added after ``run()`` runs at once, so the order in which racing parties add and run does not matter.
final class Teardown: Sendable {
    private enum State {
        case pending([@Sendable () -> Void])
        case done
    }

    private let state = Mutex(State.pending([]))

    /// Adds an action, or runs it at once when ``run()`` has already been called.
    func add(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            guard case .pending(var actions) = state else { return true }
            actions.append(action)
            state = .pending(actions)
            return false
        }
        if runNow { action() }
    }

    /// Runs every action added so far, once; later calls do nothing.
    func run() {
        let actions: [@Sendable () -> Void] = state.withLock { state in
            guard case .pending(let actions) = state else { return [] }
            state = .done
            return actions
        }
        for action in actions { action() }
    }
}
