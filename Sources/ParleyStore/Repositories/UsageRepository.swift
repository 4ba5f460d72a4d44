import Foundation
import ParleyCore

/// Tokens one model call used, for billing.
public struct TokenUsageRecord: Sendable, Equatable {
    public var tenantID: TenantID
    public var conversationID: ConversationID
    /// The provider that answered (its configured name).
    public var provider: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var createdAt: Date

    /// Makes a record.
    public init(
        tenantID: TenantID, conversationID: ConversationID, provider: String, promptTokens: Int,
        completionTokens: Int, createdAt: Date
    ) {
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.provider = provider
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.createdAt = createdAt
    }
}

/// Token totals of one provider over a period.
public struct UsageTotal: Sendable, Equatable {
    public var provider: String
    public var calls: Int
    public var promptTokens: Int
    public var completionTokens: Int

    /// Makes a total.
    public init(provider: String, calls: Int, promptTokens: Int, completionTokens: Int) {
        self.provider = provider
        self.calls = calls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// Model token usage per tenant, conversation and provider.
public protocol UsageRepository: Sendable {
    /// Stores one call's usage.
    func record(_ usage: TokenUsageRecord) async throws
    /// The tenant's totals per provider since a time, optionally for one conversation.
    func totals(tenant: TenantID, since: Date, conversation: ConversationID?) async throws -> [UsageTotal]
}
