import ParleyAI
import ParleyCore
import ParleyStore
import ParleyUnderstanding

/// The recent messages of a conversation as prompt messages, newest kept first, within a token budget.
///
/// Customer messages are redacted again before they go to a model, since a tenant may keep originals in storage.
/// Agent messages count as the assistant's side; system notes are left out.
struct ConversationHistory: Sendable {
    let store: any ParleyStore
    /// Most messages read back.
    static let maxMessages = 12
    /// Most estimated tokens of history in a prompt.
    static let tokenBudget = 800
    private static let redactor = PIIRedactor()

    /// The messages before `request.messageID`, oldest first, as many of the newest as fit the budget.
    func messages(for request: AnswerRequest) async throws -> [ChatMessage] {
        let recent = try await store.messages.recent(
            conversation: request.conversationID, tenant: request.tenantID, before: request.messageID,
            limit: Self.maxMessages)
        var budget = Self.tokenBudget
        var kept: [ChatMessage] = []
        for message in recent.reversed() where message.id != request.messageID {
            let chat: ChatMessage
            switch message.role {
            case .customer: chat = .user(Self.redactor.redact(message.text).text)
            case .assistant, .agent: chat = .assistant(message.text)
            case .system: continue
            }
            let cost = TokenEstimator.tokens(in: chat.content) + 4
            guard cost <= budget else { break }
            budget -= cost
            kept.append(chat)
        }
        return kept.reversed()
    }
}
