import ParleyCore

/// Tenants' widget settings: branding, words, consent and triggers.
public protocol WidgetRepository: Sendable {
    /// The tenant's settings, or nil when it never set any.
    func get(tenant: TenantID) async throws -> WidgetSettings?
    /// Replaces the tenant's settings.
    func save(_ settings: WidgetSettings, tenant: TenantID) async throws
}
