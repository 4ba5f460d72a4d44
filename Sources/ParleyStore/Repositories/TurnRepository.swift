import Foundation
import ParleyCore

/// A finished turn: the customer message, what the chain decided, the reply and the trace.
public struct TurnRecord: Sendable, Equatable {
    /// The owning tenant.
    public var tenantID: TenantID
    /// The conversation.
    public var conversationID: ConversationID
    /// The customer message the turn handled.
    public var messageID: MessageID
    /// The final decision: `continue`, `reply`, `escalate` or `block`.
    public var decision: String
    /// The stage that decided, if one stopped the chain.
    public var decidedBy: String?
    /// The reply message id, if the turn produced a reply.
    public var replyID: MessageID?
    /// One entry per stage that ran.
    public var trace: [TraceEntry]
    /// When the turn finished.
    public var createdAt: Date
    /// The view the tenant's rules saw, when the rules stage ran and recorded it.
    public var ruleInput: JSONValue?
    /// The text the customer message keeps from now on (the redacted text), or nil to keep it as stored.
    public var storedText: String?

    /// Makes a turn record.
    public init(
        tenantID: TenantID, conversationID: ConversationID, messageID: MessageID, decision: String,
        decidedBy: String?, replyID: MessageID?, trace: [TraceEntry], createdAt: Date, ruleInput: JSONValue? = nil,
        storedText: String? = nil
    ) {
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.messageID = messageID
        self.decision = decision
        self.decidedBy = decidedBy
        self.replyID = replyID
        self.trace = trace
        self.createdAt = createdAt
        self.ruleInput = ruleInput
        self.storedText = storedText
    }
}

/// Stores finished turns.
public protocol TurnRepository: Sendable {
    /// Stores the reply (if any), the turn record and the turn's changes to the conversation in one transaction.
    ///
    /// When `turn.storedText` is set, the customer message's text is replaced by it in the same transaction.
    ///
    /// The changes are merged into the conversation as stored now, not written over it: `conversation.tags` are
    /// added to the stored tags, bot failures, the sentiment trend (when given) and the update time are set, and the state moves only from `bot`
    /// (to `conversation.state`, with its handoff when it becomes `queued`), so a hand-over or closing that happened
    /// during the turn is kept.
    func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation) async throws
    /// The finished turn of a customer message, if the chain has finished with it.
    func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord?
    /// The conversation's finished turns, oldest first.
    func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord]
    /// The tenant's turns since a time that recorded a rule input, oldest first, at most `limit`.
    func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord]
}
