import Foundation
import ParleyCore
import ParleyStore
import Testing

@testable import ParleyServer

/// An agent's message that meets a close which landed first: nothing is stored after the close.
@Suite("Agent message against a close")
struct AgentMessageRaceTests {
    /// Messages whose agent messages are stored just after a manager closed the conversation: the close lands
    /// between the route's check and its write.
    struct ClosingFirst: MessageRepository {
        let base: any MessageRepository
        let conversations: any ConversationRepository

        func closeFirst(_ message: Message) async throws {
            guard message.role == .agent else { return }
            _ = try await conversations.transition(
                message.conversationID, tenant: message.tenantID, from: [.human], to: .closed, agent: nil,
                handoff: nil, holder: nil, at: Date())
        }
        func append(_ message: Message) async throws {
            try await closeFirst(message)
            try await base.append(message)
        }
        func appendWhileWithAgent(_ message: Message, holder: UserID?) async throws -> Bool {
            try await closeFirst(message)
            return try await base.appendWhileWithAgent(message, holder: holder)
        }
        func appendCustomer(_ message: Message) async throws -> AppendResult { try await base.appendCustomer(message) }
        func get(_ id: MessageID, tenant: TenantID) async throws -> Message? { try await base.get(id, tenant: tenant) }
        func list(conversation: ConversationID, tenant: TenantID, after: MessageID?, limit: Int) async throws
            -> [Message]
        {
            try await base.list(conversation: conversation, tenant: tenant, after: after, limit: limit)
        }
        func recent(conversation: ConversationID, tenant: TenantID, before message: MessageID?, limit: Int)
            async throws -> [Message]
        {
            try await base.recent(conversation: conversation, tenant: tenant, before: message, limit: limit)
        }
        func customerMessageCount(conversation: ConversationID, tenant: TenantID) async throws -> Int {
            try await base.customerMessageCount(conversation: conversation, tenant: tenant)
        }
        func saveFeedback(_ feedback: Feedback) async throws { try await base.saveFeedback(feedback) }
        func feedback(for message: MessageID, tenant: TenantID) async throws -> Feedback? {
            try await base.feedback(for: message, tenant: tenant)
        }
        func feedback(conversation: ConversationID, tenant: TenantID) async throws -> [Feedback] {
            try await base.feedback(conversation: conversation, tenant: tenant)
        }
    }

    @Test("an agent's message refused with 409 when the conversation was closed after the route looked")
    func closeLandsFirst() async throws {
        let closingFirst: @Sendable (any ParleyStore) -> any ParleyStore = { base in
            ForwardingStore(
                base: base, messages: ClosingFirst(base: base.messages, conversations: base.conversations))
        }
        try await Harness.run(wrapStore: closingFirst) { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            let claimed = try await harness.call(
                .post, "/api/agent/conversations/\(visitor.conversation)/claim", token: admin)
            #expect(claimed["state"].string == "human", "\(claimed.text)")
            let sent = try await harness.call(
                .post, "/api/agent/conversations/\(visitor.conversation)/messages", json: ["text": "Still there?"],
                token: admin)
            #expect(sent.status == .conflict, "\(sent.text)")
            #expect(sent.errorCode == "not_with_agent")
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history["conversation"]["state"].string == "closed")
            #expect(
                !history["messages"].array.contains { $0["text"].string == "Still there?" },
                "the agent's message was stored after the close: \(history.text)")
        }
    }
}
