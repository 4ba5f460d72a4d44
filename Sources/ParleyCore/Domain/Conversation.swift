import Foundation

/// One thread of messages between a visitor and the tenant (bot or human).
public struct Conversation: Sendable, Codable, Equatable {
    /// The conversation's identifier.
    public var id: ConversationID
    /// The owning tenant.
    public var tenantID: TenantID
    /// The visitor on the other side.
    public var visitorID: VisitorID
    /// Who is handling the conversation now.
    public var state: ConversationState
    /// Labels set by stages, rules and agents (`follow_up`, `billing`...).
    public var tags: Set<String>
    /// How many times in a row the bot could not answer.
    public var botFailures: Int
    /// When the conversation started.
    public var createdAt: Date
    /// When anything last happened in it.
    public var updatedAt: Date
    /// The running sentiment over the visitor's messages, once a sentiment stage has scored one.
    public var sentimentTrend: SentimentTrendState?
    /// Why the conversation waits for (or went to) a human, while it is queued or with an agent.
    public var handoff: Handoff?
    /// The agent who has the conversation, while it is `human`.
    public var assignedAgent: UserID?
    /// The visitor's last few questions in normalised form, newest last, for loop detection.
    public var recentQuestions: [String]

    /// Makes a conversation value.
    public init(
        id: ConversationID, tenantID: TenantID, visitorID: VisitorID, state: ConversationState, tags: Set<String>,
        botFailures: Int, createdAt: Date, updatedAt: Date, sentimentTrend: SentimentTrendState? = nil,
        handoff: Handoff? = nil, assignedAgent: UserID? = nil, recentQuestions: [String] = []
    ) {
        self.recentQuestions = recentQuestions
        self.id = id
        self.tenantID = tenantID
        self.visitorID = visitorID
        self.state = state
        self.tags = tags
        self.botFailures = botFailures
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sentimentTrend = sentimentTrend
        self.handoff = handoff
        self.assignedAgent = assignedAgent
    }
}
