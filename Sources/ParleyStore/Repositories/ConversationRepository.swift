import Foundation
import ParleyCore

/// Stores conversations.
public protocol ConversationRepository: Sendable {
    /// Adds a conversation.
    func create(_ conversation: Conversation) async throws
    /// The tenant's conversation with this id.
    func get(_ id: ConversationID, tenant: TenantID) async throws -> Conversation?
    /// The tenant's conversations, newest activity first, optionally in one state.
    func list(tenant: TenantID, state: ConversationState?, limit: Int) async throws -> [Conversation]
    /// The visitor's conversations, newest activity first.
    func list(visitor: VisitorID, tenant: TenantID, limit: Int) async throws -> [Conversation]
    /// Stores the visitor's rating of the conversation, replacing an earlier one; false when there is no such
    /// conversation.
    func saveRating(_ rating: ConversationRating) async throws -> Bool
    /// The conversation's rating, if the visitor gave one.
    func rating(of conversation: ConversationID, tenant: TenantID) async throws -> ConversationRating?
    /// The visitor's most recent conversation that is not closed.
    func latestOpen(visitor: VisitorID, tenant: TenantID) async throws -> Conversation?
    /// Saves state, tags, bot failures, sentiment trend, handoff, agent and the update time; false when the tenant has
    /// no such conversation.
    func update(_ conversation: Conversation) async throws -> Bool
    /// Adds the model-written summary to the conversation's handoff, if it still has one; false when not.
    func setModelSummary(_ summary: String, conversation: ConversationID, tenant: TenantID) async throws -> Bool
    /// The tenant's queued conversations in the order agents should take them: higher priority first, then the
    /// longest waiting.
    func queue(tenant: TenantID, limit: Int) async throws -> [Conversation]
    /// Moves a conversation to `state` only if it is in one of `from`, atomically; nil when it is not (or does not
    /// exist for the tenant).
    ///
    /// Moving to `human` assigns `agent`; moving to `queued` records `handoff`; moving to `bot` clears the agent, the
    /// handoff and the bot failures. With `holder`, a conversation that is with an agent moves only if that agent
    /// is `holder`: an agent's hand-back or close cannot take a conversation another agent claimed meanwhile.
    func transition(
        _ id: ConversationID, tenant: TenantID, from: Set<ConversationState>, to state: ConversationState,
        agent: UserID?, handoff: Handoff?, holder: UserID?, at time: Date
    ) async throws -> Conversation?
}
