import Foundation

/// One stored message of a conversation.
public struct Message: Sendable, Codable, Equatable {
    /// The message's identifier.
    public var id: MessageID
    /// The owning tenant.
    public var tenantID: TenantID
    /// The conversation the message belongs to.
    public var conversationID: ConversationID
    /// Who wrote it.
    public var role: MessageRole
    /// The text as shown in the conversation.
    public var text: String
    /// The sender's idempotency key, for customer messages.
    public var clientMessageID: String?
    /// The customer message this one answers, for replies.
    public var inReplyTo: MessageID?
    /// Extra data: citations, the deciding stage, feedback...
    public var metadata: [String: JSONValue]
    /// When it was stored.
    public var createdAt: Date

    /// Makes a message value.
    public init(
        id: MessageID, tenantID: TenantID, conversationID: ConversationID, role: MessageRole, text: String,
        clientMessageID: String?, inReplyTo: MessageID?, metadata: [String: JSONValue], createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.role = role
        self.text = text
        self.clientMessageID = clientMessageID
        self.inReplyTo = inReplyTo
        self.metadata = metadata
        self.createdAt = createdAt
    }
}

/// Who wrote a message.
public enum MessageRole: String, Sendable, Codable, CaseIterable {
    /// The visitor.
    case customer
    /// The bot.
    case assistant
    /// A human agent.
    case agent
    /// Parley itself (handoff notices, state changes).
    case system
}
