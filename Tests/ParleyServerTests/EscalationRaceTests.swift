import Foundation
import ParleyCore
import ParleyStore
import Testing

@testable import ParleyServer

/// A turn that queues the conversation while an agent claims it: the claim stands, and everyone is told so.
@Suite("Escalation against a claim")
struct EscalationRaceTests {
    /// Turns whose `complete` lets an agent claim the conversation first, when the turn is about to queue it.
    struct ClaimingFirst: TurnRepository {
        let base: any TurnRepository
        let conversations: any ConversationRepository

        func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
            async throws
        {
            if beganIn == .bot, conversation.state == .queued {
                _ = try await conversations.transition(
                    conversation.id, tenant: conversation.tenantID, from: [.bot], to: .human,
                    agent: UserID("agent-who-was-faster"), handoff: nil, holder: nil, at: Date())
            }
            try await base.complete(turn, reply: reply, conversation: conversation, beganIn: beganIn)
        }

        func begin(_ message: Message, visitor: VisitorID) async throws -> TurnOpening {
            try await base.begin(message, visitor: visitor)
        }
        func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord? {
            try await base.get(message: message, tenant: tenant)
        }
        func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord] {
            try await base.list(conversation: conversation, tenant: tenant)
        }
        func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord] {
            try await base.withRuleInput(tenant: tenant, since: since, limit: limit)
        }
        var turnLease: Duration? { base.turnLease }
        func claim(turn message: MessageID, tenant: TenantID, now: Date) async throws -> Bool {
            try await base.claim(turn: message, tenant: tenant, now: now)
        }
        func renew(turn message: MessageID, tenant: TenantID, now: Date) async throws {
            try await base.renew(turn: message, tenant: tenant, now: now)
        }
    }

    @Test("a claim that lands as the bot queues the conversation wins, and the visitor is told it is with the agent")
    func claimDuringEscalation() async throws {
        let claimingFirst: @Sendable (any ParleyStore) -> any ParleyStore = { base in
            ForwardingStore(base: base, turns: ClaimingFirst(base: base.turns, conversations: base.conversations))
        }
        try await Harness.run(wrapStore: claimingFirst) { harness in
            let visitor = try await harness.session()
            try await LiveChannelTests.withSocket(harness, token: visitor.token) { send, frames in
                try await send([
                    "type": "message", "conversation_id": visitor.conversation, "client_message_id": "m-1",
                    "text": "I want to talk to a human please",
                ])
                let done = try await LiveChannelTests.frame(in: frames) { $0["type"].string == "done" }
                #expect(done["result"]["conversation"]["state"].string == "human", "\(done)")
                #expect(
                    !frames.all.contains { $0["type"].string == "state" && $0["state"].string == "queued" },
                    "the visitor was told the conversation is queued: \(frames.all)")
            }
            let stored = try await harness.store.conversations.get(
                ConversationID(visitor.conversation), tenant: harness.seed.demoTenantID)
            #expect(stored?.state == .human)
        }
    }
}
