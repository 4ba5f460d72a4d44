import Foundation
import ParleyCore
import Synchronization

/// Delivers each conversation's live events to everyone watching it: the visitor's open widgets and the agents.
///
/// Watchers on this replica get events at once. When replicas share a database, every event published here also
/// goes to `outgoing`, which `ReplicaEventRelay` sends to the other replicas, and events from them arrive through
/// `deliver`. A watcher that falls behind loses the oldest events beyond `buffer`; widgets resync from the store on
/// reconnect, so nothing stored is lost.
final class ConversationEvents: Sendable {
    /// An event with the watcher that caused it, so that it is not echoed back.
    struct Published: Sendable {
        var event: LiveEvent
        var origin: UUID?
    }

    private struct Key: Hashable {
        var tenant: TenantID
        var conversation: ConversationID
    }

    private let watchers = Mutex<[Key: [UUID: AsyncStream<Published>.Continuation]]>([:])
    private let buffer: Int
    /// This replica's name on the events it sends.
    let replica = UUID()
    /// Events for the other replicas, in the order published; nil when there are none.
    let outgoing: AsyncStream<ReplicaEvent>?
    private let forward: AsyncStream<ReplicaEvent>.Continuation?

    /// Makes the hub; `sharedWithReplicas` when other replicas share the database.
    init(buffer: Int = 256, sharedWithReplicas: Bool = false) {
        self.buffer = buffer
        if sharedWithReplicas {
            let (stream, continuation) = AsyncStream<ReplicaEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
            (outgoing, forward) = (stream, continuation)
        } else {
            (outgoing, forward) = (nil, nil)
        }
    }

    /// The conversation's events from now on, until the stream is dropped or its task cancelled.
    func watch(_ conversation: ConversationID, tenant: TenantID) -> AsyncStream<Published> {
        let key = Key(tenant: tenant, conversation: conversation)
        let id = UUID()
        let (stream, continuation) = AsyncStream<Published>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in
            self?.watchers.withLock { watchers in
                watchers[key]?[id] = nil
                if watchers[key]?.isEmpty == true { watchers[key] = nil }
            }
        }
        watchers.withLock { $0[key, default: [:]][id] = continuation }
        return stream
    }

    /// Tells everyone watching the conversation; `origin` names the watcher whose action it was.
    func publish(_ event: LiveEvent, conversation: ConversationID, tenant: TenantID, origin: UUID? = nil) {
        forward?.yield(ReplicaEvent(event, conversation: conversation, tenant: tenant, replica: replica))
        deliver(event, conversation: conversation, tenant: tenant, origin: origin)
    }

    /// Tells this replica's watchers of the conversation, without forwarding: for events from other replicas.
    func deliver(_ event: LiveEvent, conversation: ConversationID, tenant: TenantID, origin: UUID? = nil) {
        let continuations = watchers.withLock {
            Array(($0[Key(tenant: tenant, conversation: conversation)] ?? [:]).values)
        }
        for continuation in continuations { continuation.yield(Published(event: event, origin: origin)) }
    }

    /// How many watchers the conversation has (for tests and metrics).
    func watcherCount(_ conversation: ConversationID, tenant: TenantID) -> Int {
        watchers.withLock { $0[Key(tenant: tenant, conversation: conversation)]?.count ?? 0 }
    }
}
