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

/// How a turn opened: its customer message stored and what the turn starts from, or why not.
public enum TurnOpening: Sendable, Equatable {
    /// The message is stored now; the turn runs from here.
    case started(TurnStart)
    /// A message with the same client id was stored before (also when the conversation has closed since); this is
    /// it, and nothing new was stored.
    case duplicate(Message)
    /// The tenant has no such conversation for this visitor; nothing was stored.
    case notFound
    /// The conversation is closed and holds no message with this client id; nothing was stored.
    case closed
}

/// What a turn starts from, read in the same step that stored its customer message.
public struct TurnStart: Sendable, Equatable {
    /// The conversation as stored when the message arrived.
    public var conversation: Conversation
    /// The visitor's record, if one is stored.
    public var visitor: Visitor?
    /// Customer messages in the conversation, this one included.
    public var customerMessageCount: Int

    /// Makes a turn start.
    public init(conversation: Conversation, visitor: Visitor?, customerMessageCount: Int) {
        self.conversation = conversation
        self.visitor = visitor
        self.customerMessageCount = customerMessageCount
    }
}

/// Opens and finishes turns.
public protocol TurnRepository: Sendable {
    /// Opens a turn in one atomic step: checks the conversation is the visitor's and open, stores the customer
    /// message under its idempotency key (durably, before anything else happens to it), counts it, and reads the
    /// visitor.
    func begin(_ message: Message, visitor: VisitorID) async throws -> TurnOpening
    /// Stores the reply (if any), the turn record and the turn's changes to the conversation in one transaction.
    ///
    /// When `turn.storedText` is set, the customer message's text is replaced by it in the same transaction.
    ///
    /// The changes are merged into the conversation as stored now, not written over it: `conversation.tags` are
    /// added to the stored tags, the sentiment trend (when given) and the update time are set, and the bot failures
    /// when the turn began in `bot`. The state moves only when the turn moved it, that is when it began in `bot`
    /// (`beganIn`) and leaves the conversation in another state, and then only if the stored state is still `bot`
    /// (to `conversation.state`, with its handoff when it becomes `queued`). So a hand-over, hand-back or closing
    /// that happened during the turn is kept.
    func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
        async throws
    /// The finished turn of a customer message, if the chain has finished with it.
    func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord?
    /// The conversation's finished turns, oldest first.
    func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord]
    /// The tenant's turns since a time that recorded a rule input, oldest first, at most `limit`.
    func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord]

    /// How long a lease on a running turn lasts, on a store several replicas share; nil on a store one process
    /// serves, where turns need no lease.
    ///
    /// On a shared store (PostgreSQL) `begin` leases the new turn to the replica that opened it, the replica renews
    /// the lease while the turn runs (`renew`), and `complete` ends it. A resent message whose turn has not finished
    /// may be run again only by a replica that claims the turn (`claim`): its holder, or any replica once the lease
    /// has run out because the holder stopped. So a resend reaching another replica does not run the model twice.
    var turnLease: Duration? { get }
    /// Claims an unfinished turn for this replica, to run it again; false while another replica holds it, and once
    /// the turn is stored.
    ///
    /// On a store one process serves (SQLite) a turn not running in this process runs nowhere: always true.
    func claim(turn message: MessageID, tenant: TenantID, now: Date) async throws -> Bool
    /// Extends this replica's lease on a turn it runs (nothing on a store without leases).
    func renew(turn message: MessageID, tenant: TenantID, now: Date) async throws
}
