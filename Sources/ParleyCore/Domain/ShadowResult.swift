import Foundation

/// What a rule's active version and its shadow candidate decided on one live turn.
public struct ShadowResult: Sendable, Equatable {
    /// The owning tenant.
    public var tenantID: TenantID
    /// The rule's name.
    public var rule: String
    /// The active version, or nil when the rule had none.
    public var activeVersion: Int?
    /// The candidate version.
    public var candidateVersion: Int
    /// The conversation of the turn.
    public var conversationID: ConversationID
    /// The customer message of the turn.
    public var messageID: MessageID
    /// The active version's normalized decision (`null`, a decision object, or `{"error": KIND}`).
    public var active: JSONValue
    /// The candidate's normalized decision.
    public var candidate: JSONValue
    /// Whether they agreed.
    public var agrees: Bool
    /// When the turn ran.
    public var createdAt: Date

    /// Makes a shadow result.
    public init(
        tenantID: TenantID, rule: String, activeVersion: Int?, candidateVersion: Int, conversationID: ConversationID,
        messageID: MessageID, active: JSONValue, candidate: JSONValue, agrees: Bool, createdAt: Date
    ) {
        self.tenantID = tenantID
        self.rule = rule
        self.activeVersion = activeVersion
        self.candidateVersion = candidateVersion
        self.conversationID = conversationID
        self.messageID = messageID
        self.active = active
        self.candidate = candidate
        self.agrees = agrees
        self.createdAt = createdAt
    }
}
