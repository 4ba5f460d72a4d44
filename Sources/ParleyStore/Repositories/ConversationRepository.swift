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
    /// The visitor's most recent conversation that is not closed.
    func latestOpen(visitor: VisitorID, tenant: TenantID) async throws -> Conversation?
    /// Saves state, tags, bot failures and the update time; false when the tenant has no such conversation.
    func update(_ conversation: Conversation) async throws -> Bool
}
