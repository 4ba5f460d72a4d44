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

/// Records proactive messages per visitor.
public protocol ProactiveRepository: Sendable {
    /// Records a delivery.
    func record(_ delivery: ProactiveDelivery, visitor: VisitorID, tenant: TenantID) async throws
    /// The visitor's deliveries since a time, newest first.
    func deliveries(visitor: VisitorID, tenant: TenantID, since: Date) async throws -> [ProactiveDelivery]
}
