import Foundation
import ParleyCore

/// A proactive message a rule sent to a visitor, kept to enforce cooldowns and the frequency cap.
public struct ProactiveDelivery: Sendable, Equatable {
    /// The rule that sent it.
    public var rule: String
    /// When it was sent.
    public var sentAt: Date

    /// Makes a delivery.
    public init(rule: String, sentAt: Date) {
        self.rule = rule
        self.sentAt = sentAt
    }
}

/// What a proactive message must respect to be sent: its rule's cooldown and the visitor's frequency cap.
public struct ProactiveAllowance: Sendable, Equatable {
    /// The shortest time between two messages of one rule to one visitor.
    public var cooldown: TimeInterval
    /// The most proactive messages a visitor gets in `capWindow`, whichever rules sent them.
    public var cap: Int
    /// The window of the cap.
    public var capWindow: TimeInterval

    /// Makes an allowance.
    public init(cooldown: TimeInterval, cap: Int, capWindow: TimeInterval) {
        self.cooldown = cooldown
        self.cap = cap
        self.capWindow = capWindow
    }
}

/// Whether a proactive message was sent, or what held it back.
public enum ProactiveOutcome: String, Sendable, Equatable {
    /// Stored and recorded.
    case sent
    /// The rule sent this visitor a message within its cooldown.
    case cooldown
    /// The visitor has had the most messages the cap allows.
    case frequencyCap = "frequency_cap"
    /// The conversation is no longer the bot's (queued, with an agent, or closed).
    case notWithBot = "not_with_bot"
}

/// Records proactive messages per visitor.
public protocol ProactiveRepository: Sendable {
    /// Stores a proactive `message` and records its delivery for `rule`, unless the allowance holds it back or the
    /// conversation has left the bot.
    ///
    /// The check and both writes are one transaction, serialised per visitor: two events at once cannot both send
    /// past a cooldown or the cap. The delivery is recorded at the message's `createdAt`.
    func deliver(_ message: Message, rule: String, visitor: VisitorID, allowance: ProactiveAllowance) async throws
        -> ProactiveOutcome
    /// The visitor's deliveries since a time, newest first.
    func deliveries(visitor: VisitorID, tenant: TenantID, since: Date) async throws -> [ProactiveDelivery]
}
