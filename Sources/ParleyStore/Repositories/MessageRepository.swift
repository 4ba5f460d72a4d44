import Foundation
import ParleyCore

/// The result of storing a customer message under its idempotency key.
public enum AppendResult: Sendable, Equatable {
    /// Stored now.
    case created(Message)
    /// A message with the same client id was stored before; this is it, and nothing new was stored.
    case duplicate(Message)
}

/// Stores messages and their feedback.
public protocol MessageRepository: Sendable {
    /// Stores a customer message durably, once per `clientMessageID` and conversation.
    func appendCustomer(_ message: Message) async throws -> AppendResult
    /// Stores a message of any other role.
    func append(_ message: Message) async throws
    /// Stores an agent's message only while its conversation is with an agent (with `holder`, with that agent), in
    /// one step with the check: a close or hand-over that lands first leaves nothing stored. False when not stored.
    func appendWhileWithAgent(_ message: Message, holder: UserID?) async throws -> Bool
    /// The tenant's message with this id.
    func get(_ id: MessageID, tenant: TenantID) async throws -> Message?
    /// The conversation's messages in order, optionally only those after a message id.
    func list(conversation: ConversationID, tenant: TenantID, after: MessageID?, limit: Int) async throws -> [Message]
    /// The conversation's last `limit` messages before `message` (all of them when nil), oldest first.
    func recent(conversation: ConversationID, tenant: TenantID, before message: MessageID?, limit: Int) async throws
        -> [Message]
    /// How many customer messages the conversation has.
    func customerMessageCount(conversation: ConversationID, tenant: TenantID) async throws -> Int
    /// Saves or replaces the visitor's rating of a message.
    func saveFeedback(_ feedback: Feedback) async throws
    /// The visitor's rating of a message, if any.
    func feedback(for message: MessageID, tenant: TenantID) async throws -> Feedback?
    /// The visitor's ratings of the conversation's messages, in the messages' order.
    func feedback(conversation: ConversationID, tenant: TenantID) async throws -> [Feedback]
}
