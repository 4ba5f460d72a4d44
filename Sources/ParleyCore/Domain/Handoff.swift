import Foundation

/// Why and how urgently a conversation waits for a human, and what the agent reads first.
public struct Handoff: Sendable, Codable, Equatable {
    /// The escalation that queued the conversation: priority, skill and reason.
    public var escalation: Escalation
    /// When the conversation entered the queue.
    public var queuedAt: Date
    /// A short summary for the agent: what the visitor wanted, intent, mood, first and last messages.
    public var summary: String
    /// The same, written by the tenant's model once the handoff is queued, when the tenant has one.
    public var modelSummary: String?

    /// Makes a handoff.
    public init(escalation: Escalation, queuedAt: Date, summary: String) {
        self.escalation = escalation
        self.queuedAt = queuedAt
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case escalation, summary
        case modelSummary = "model_summary"
        case queuedAt = "queued_at"
    }
}
