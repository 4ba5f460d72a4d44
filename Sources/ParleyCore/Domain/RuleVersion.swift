import Foundation

/// One stored version of a tenant's Lua rule: its source, the fixtures it was checked with, and who saved it.
public struct RuleVersion: Sendable, Equatable {
    /// The owning tenant.
    public var tenantID: TenantID
    /// The rule's name (`refund-escalation`).
    public var name: String
    /// The version number, from 1 per rule.
    public var version: Int
    /// The Lua source.
    public var source: String
    /// The fixture file (JSONL) uploaded with the source, if any.
    public var fixtures: String?
    /// Who saved it; nil for shipped defaults.
    public var createdBy: UserID?
    /// When it was saved.
    public var createdAt: Date

    /// Makes a rule version.
    public init(
        tenantID: TenantID, name: String, version: Int, source: String, fixtures: String?, createdBy: UserID?,
        createdAt: Date
    ) {
        self.tenantID = tenantID
        self.name = name
        self.version = version
        self.source = source
        self.fixtures = fixtures
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// Where a tenant's rule stands: its newest version, the active one and the one in shadow.
public struct RuleStatus: Sendable, Equatable {
    /// The rule's name.
    public var name: String
    /// The newest stored version.
    public var latestVersion: Int
    /// The version that runs, or nil when the rule is inactive.
    public var activeVersion: Int?
    /// The candidate version running in shadow, if any.
    public var shadowVersion: Int?

    /// Makes a status.
    public init(name: String, latestVersion: Int, activeVersion: Int?, shadowVersion: Int?) {
        self.name = name
        self.latestVersion = latestVersion
        self.activeVersion = activeVersion
        self.shadowVersion = shadowVersion
    }
}
