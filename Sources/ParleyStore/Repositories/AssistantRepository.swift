import ParleyCore

/// Tenants' assistant settings: persona and model providers (their API keys sealed before they get here).
public protocol AssistantRepository: Sendable {
    /// The tenant's settings, or nil when it never set any.
    func get(tenant: TenantID) async throws -> AssistantSettings?
    /// Changes the tenant's settings (the defaults, when it never set any) in one step with reading them, so that
    /// two changes at once both land; returns them as stored. An error thrown by `change` stores nothing.
    func update(tenant: TenantID, _ change: @escaping @Sendable (inout AssistantSettings) throws -> Void) async throws
        -> AssistantSettings
}
