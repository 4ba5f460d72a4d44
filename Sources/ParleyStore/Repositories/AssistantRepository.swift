import ParleyCore

/// Tenants' assistant settings: persona and model providers (their API keys sealed before they get here).
public protocol AssistantRepository: Sendable {
    /// The tenant's settings, or nil when it never set any.
    func get(tenant: TenantID) async throws -> AssistantSettings?
    /// Replaces the tenant's settings.
    func save(_ settings: AssistantSettings, tenant: TenantID) async throws
}
