import Synchronization

/// A change a test arms to happen once, at the moment a store or resolver layer runs it: between two steps of the
/// server's, as another request landing there would.
final class Meanwhile: Sendable {
    private let pending = Mutex<(@Sendable () async throws -> Void)?>(nil)

    init() {}

    /// Arms `change` for the next `run()`.
    func arm(_ change: @escaping @Sendable () async throws -> Void) { pending.withLock { $0 = change } }

    /// Runs the armed change, if any, and disarms it.
    func run() async throws {
        let change = pending.withLock { pending in
            defer { pending = nil }
            return pending
        }
        try await change?()
    }
}
