import Foundation
import ParleyCore

/// Stores the website domains of tenants.
public protocol DomainRepository: Sendable {
    /// Adds a domain; throws `StoreError.conflict` when the tenant already has the host.
    func create(_ domain: WebsiteDomain) async throws
    /// The tenant's domain with this id.
    func get(_ id: DomainID, tenant: TenantID) async throws -> WebsiteDomain?
    /// The tenant's domains, oldest first.
    func list(tenant: TenantID) async throws -> [WebsiteDomain]
    /// Marks the domain verified; false when the tenant has no such domain.
    func markVerified(_ id: DomainID, tenant: TenantID, at: Date) async throws -> Bool
    /// Removes a domain; false when the tenant has no such domain.
    func delete(_ id: DomainID, tenant: TenantID) async throws -> Bool
    /// Whether the tenant has verified this host.
    func isVerified(host: String, tenant: TenantID) async throws -> Bool
}
