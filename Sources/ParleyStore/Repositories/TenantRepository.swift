import ParleyCore

/// Stores tenants.
public protocol TenantRepository: Sendable {
    /// Adds a tenant; throws `StoreError.conflict` when the widget key is taken.
    func create(_ tenant: Tenant) async throws
    /// The tenant with this id.
    func get(_ id: TenantID) async throws -> Tenant?
    /// The tenant that owns this widget key.
    func find(widgetKey: String) async throws -> Tenant?
    /// Every tenant, oldest first.
    func list() async throws -> [Tenant]
    /// Saves a changed tenant; false when it does not exist.
    func update(_ tenant: Tenant) async throws -> Bool
    /// Removes a tenant and, through the schema's cascades, everything it owns; false when it does not exist.
    func delete(_ id: TenantID) async throws -> Bool
}
