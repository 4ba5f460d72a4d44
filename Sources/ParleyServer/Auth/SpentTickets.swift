import Foundation
import Synchronization

/// The identifiers of one-use tickets already used, each kept until its ticket expires.
///
/// A ticket travels in a URL, where proxies log it: once used, a copy from a log must open nothing. The list is this
/// process's own (a copy taken to another replica within the ticket's minute would still open a stream there), and
/// holds at most `capacity` tickets: when full of unexpired ones, a ticket is refused, and the client asks for a new
/// one after a pause, rather than the list forgetting a used one.
final class SpentTickets: Sendable {
    private struct State {
        var spent: [String: Date] = [:]
        /// When expired tickets were last dropped: a full list is swept at most once a second.
        var swept = Date.distantPast
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Marks the ticket `id`, valid until `expiry`, as used; false when it was used already (or the list is full).
    func spend(_ id: String, expiry: Date, now: Date = Date()) -> Bool {
        state.withLock { state in
            guard state.spent[id] == nil else { return false }
            if state.spent.count >= capacity, now.timeIntervalSince(state.swept) >= 1 {
                state.spent = state.spent.filter { $0.value > now }
                state.swept = now
            }
            guard state.spent.count < capacity else { return false }
            state.spent[id] = expiry
            return true
        }
    }
}
