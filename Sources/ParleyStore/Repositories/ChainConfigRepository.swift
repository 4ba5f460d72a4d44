import ParleyCore

/// Stores versioned chain configurations with one active version per tenant.
public protocol ChainConfigRepository: Sendable {
    /// The tenant's active configuration, or nil when it has never saved one.
    func active(tenant: TenantID) async throws -> ChainConfigVersion?
    /// Stores a configuration as the next version and makes it active, atomically.
    func activate(_ config: ChainConfig, tenant: TenantID, by user: UserID?) async throws -> ChainConfigVersion
    /// Makes the version before the active one active again; nil when there is none.
    func rollback(tenant: TenantID) async throws -> ChainConfigVersion?
    /// Every stored version, newest first.
    func versions(tenant: TenantID) async throws -> [ChainConfigVersion]
}
