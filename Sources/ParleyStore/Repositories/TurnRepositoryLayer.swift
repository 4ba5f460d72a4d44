import Foundation
import ParleyCore

/// A turn repository laid over another, which it calls for everything it does not do itself.
///
/// A layer implements only the calls it changes: a benchmark's that stores no turns, a test's that records or delays
/// one. The rest reach `base` unchanged.
public protocol TurnRepositoryLayer: TurnRepository {
    /// The repository underneath.
    var base: any TurnRepository { get }
}

extension TurnRepositoryLayer {
    public func begin(_ message: Message, visitor: VisitorID) async throws -> TurnOpening {
        try await base.begin(message, visitor: visitor)
    }

    public func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
        async throws
    {
        try await base.complete(turn, reply: reply, conversation: conversation, beganIn: beganIn)
    }

    public func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord? {
        try await base.get(message: message, tenant: tenant)
    }

    public func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord] {
        try await base.list(conversation: conversation, tenant: tenant)
    }

    public func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord] {
        try await base.withRuleInput(tenant: tenant, since: since, limit: limit)
    }

    public var turnLease: Duration? { base.turnLease }

    public func claim(turn message: MessageID, tenant: TenantID, now: Date) async throws -> Bool {
        try await base.claim(turn: message, tenant: tenant, now: now)
    }

    public func renew(turn message: MessageID, tenant: TenantID, now: Date) async throws {
        try await base.renew(turn: message, tenant: tenant, now: now)
    }
}
