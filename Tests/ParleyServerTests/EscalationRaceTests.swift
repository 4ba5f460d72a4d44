import Foundation
import ParleyCore
import ParleyStore
import Testing

@testable import ParleyServer

/// A turn that queues the conversation while an agent claims it: the claim stands, and everyone is told so.
@Suite("Escalation against a claim")
struct EscalationRaceTests {
    /// Turns whose `complete` lets an agent claim the conversation first, when the turn is about to queue it.
    struct ClaimingFirst: TurnRepositoryLayer {
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
