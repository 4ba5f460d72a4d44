import Logging
import ParleyCore
import ParleyStore
import Synchronization

/// Tells each conversation waiting for an agent its place in the tenant's queue whenever that place changes.
///
/// A place moves when a conversation ahead is claimed or closed, or when one of higher priority joins ahead. Whoever
/// changes a queue calls `queueChanged(tenant:)`; the announcer reads the queue in the order agents take it and
/// publishes a `queued` state event, with the new position, to every conversation whose place differs from the one it
/// last told. Changes that come in a burst are told once: while a tenant's queue is being read, further changes only
/// mark it to be read again.
final class QueueAnnouncer: Sendable {
    /// The furthest place told; conversations behind it hear their place when they move up into it.
    static let depth = 500

    private struct Tenant {
        /// Whether the queue changed again while it was being read.
        var changedAgain = false
        /// The place last told to each conversation in the queue.
        var told: [ConversationID: Int] = [:]
        /// Whether a read is running.
        var reading = false
    }

    private let store: any ParleyStore
    private let events: ConversationEvents
    private let logger: Logger
    private let tenants = Mutex<[TenantID: Tenant]>([:])

    init(store: any ParleyStore, events: ConversationEvents, logger: Logger) {
        self.store = store
        self.events = events
        self.logger = logger
    }

    /// Notes that the tenant's queue changed: its conversations hear their new places shortly.
    ///
    /// `joined` names a conversation that was just queued and told a place estimated before it was stored: it hears
    /// its place from the queue's next read, even when the announcer last told it the same number.
    func queueChanged(tenant: TenantID, joined: ConversationID? = nil) {
        let start = tenants.withLock { tenants in
            if let joined { tenants[tenant]?.told[joined] = nil }
            if tenants[tenant]?.reading == true {
                tenants[tenant]?.changedAgain = true
                return false
            }
            tenants[tenant, default: Tenant()].reading = true
            return true
        }
        if start { Task { await announce(tenant) } }
    }

    /// Reads the queue and tells the places that moved, again as long as the queue changed meanwhile.
    ///
    private func announce(_ tenant: TenantID) async {
        while true {
            do {
                let queue = try await store.conversations.queue(tenant: tenant, limit: Self.depth)
                let moved = tenants.withLock { tenants in
                    var entry = tenants[tenant] ?? Tenant()
                    var told: [ConversationID: Int] = [:]
                    var moved: [(ConversationID, Int)] = []
                    for (index, conversation) in queue.enumerated() {
                        told[conversation.id] = index + 1
                        if entry.told[conversation.id] != index + 1 { moved.append((conversation.id, index + 1)) }
                    }
                    entry.told = told
                    tenants[tenant] = entry
                    return moved
                }
                for (conversation, place) in moved {
                    events.publish(
                        .state(.queued, agent: nil, queuePosition: place), conversation: conversation, tenant: tenant)
                }
            } catch {
                // The next change reads the queue again; a widget also hears its place when it resyncs.
                logger.warning("the queue's places could not be told", metadata: .describing(error))
            }
            let again = tenants.withLock { tenants in
                guard tenants[tenant]?.changedAgain == true else {
                    if tenants[tenant]?.told.isEmpty ?? true {
                        tenants[tenant] = nil
                    } else {
                        tenants[tenant]?.reading = false
                    }
                    return false
                }
                tenants[tenant]?.changedAgain = false
                return true
            }
            guard again else { return }
        }
    }

    /// The place of a conversation in its tenant's queue, counting from 1; nil when it is not among the first
    /// `depth` waiting.
    func place(of conversation: ConversationID, tenant: TenantID) async throws -> Int? {
        let queue = try await store.conversations.queue(tenant: tenant, limit: Self.depth)
        return queue.firstIndex { $0.id == conversation }.map { $0 + 1 }
    }
}
