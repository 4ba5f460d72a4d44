import ParleyCore

/// Tenants' widget settings: branding, words, consent and triggers.
public protocol WidgetRepository: Sendable {
    /// The tenant's settings, or nil when it never set any.
    func get(tenant: TenantID) async throws -> WidgetSettings?
    /// Changes the tenant's settings (the defaults, when it never set any) in one step with reading them, so that
    /// two changes at once both land; returns them as stored. An error thrown by `change` stores nothing.
    func update(tenant: TenantID, _ change: @escaping @Sendable (inout WidgetSettings) throws -> Void) async throws
        -> WidgetSettings
}
