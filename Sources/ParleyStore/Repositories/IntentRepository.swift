import ParleyCore

/// Stores each tenant's intents, versioned so a change is visible to every process.
public protocol IntentRepository: Sendable {
    /// The tenant's intents and their version, or nil when it has none.
    func get(tenant: TenantID) async throws -> (set: IntentSet, version: Int)?
    /// Replaces the tenant's intents; returns the new version.
    func save(_ set: IntentSet, tenant: TenantID) async throws -> Int
}
