import Foundation
import Logging
import ParleyCore
import ParleyStore
import ServiceLifecycle

/// Relays live events and tenant changes between the replicas sharing one database: sends this replica's on the
/// store's replica channel, in order, and delivers the other replicas' here.
///
/// A visitor connected to one replica and an agent connected to another then see each other's messages, typing and
/// hand-overs as if they were on one server.
struct ReplicaEventRelay: Service {
    let events: ConversationEvents
    let tenantChanges: TenantChanges
    let presence: AgentPresence
    /// The turns running on this replica: a claim or close on another stops the bot's reply here.
    let inFlight: InFlightTurns
    let channel: any ReplicaChannel
    let store: any ParleyStore
    let logger: Logger

    func run() async throws {
        guard let outgoing = events.outgoing else { return }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await send(outgoing) }
                if let changes = tenantChanges.outgoing {
                    group.addTask { await send(changes) }
                }
                if let reports = presence.outgoing {
                    group.addTask { await send(reports) }
                }
                group.addTask { await receive() }
                await group.next()
                group.cancelAll()
            }
        }
    }

    private func send(_ outgoing: AsyncStream<ReplicaEvent>) async {
        let encoder = JSONEncoder()
        for await event in outgoing {
            guard var note = try? String(decoding: encoder.encode(event), as: UTF8.self) else { continue }
            if note.utf8.count > channel.maximumNote,
                let reference = try? encoder.encode(event.byReference)
            {
                note = String(decoding: reference, as: UTF8.self)
            }
            do {
                try await channel.send(note)
            } catch {
                // The other replicas miss this event; their watchers resync from the store when they reconnect.
                logger.warning("live event not relayed", metadata: .describing(error))
            }
        }
    }

    private func send(_ changes: AsyncStream<TenantID>) async {
        let encoder = JSONEncoder()
        for await tenant in changes {
            let note = ReplicaEvent(tenantChanged: tenant, replica: events.replica)
            do {
                try await channel.send(String(decoding: try encoder.encode(note), as: UTF8.self))
            } catch {
                logger.warning(
                    "tenant change not relayed", metadata: .describing(error))
            }
        }
    }

    private func send(_ reports: AsyncStream<(TenantID, AgentPresence.Report)>) async {
        let encoder = JSONEncoder()
        for await (tenant, report) in reports {
            let note = ReplicaEvent(presence: report, tenant: tenant, replica: events.replica)
            do {
                try await channel.send(String(decoding: try encoder.encode(note), as: UTF8.self))
            } catch {
                // The next heartbeat tries again.
                logger.warning(
                    "presence not relayed", metadata: .describing(error))
            }
        }
    }

    private func receive() async {
        let decoder = JSONDecoder()
        let replica = events.replica
        let messages = store.messages
        try? await channel.listen { note in
            guard let event = try? decoder.decode(ReplicaEvent.self, from: Data(note.utf8)), event.replica != replica
            else { return }
            if event.kind == .tenantChanged {
                await tenantChanges.forget(event.tenant)
                return
            }
            if event.kind == .presence, let report = event.presence {
                presence.apply(report, tenant: event.tenant)
                return
            }
            guard let live = await event.event(loading: { try await messages.get($0, tenant: event.tenant) }) else {
                return
            }
            // An agent took the conversation, or it was closed, on another replica: a reply the bot is writing
            // here stops, as it would on that replica.
            if case .state(let state, _, _) = live, state == .human || state == .closed {
                inFlight.cancel(conversation: event.conversation)
            }
            events.deliver(live, conversation: event.conversation, tenant: event.tenant)
        }
    }
}
