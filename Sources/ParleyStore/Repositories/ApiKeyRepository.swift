import Foundation
import ParleyCore

/// Stores API keys by the hash of their secret.
public protocol ApiKeyRepository: Sendable {
    /// Adds a key with the SHA-256 hash of its secret.
    func create(_ key: ApiKey, secretHash: String) async throws
    /// The tenant's keys, revoked ones included, oldest first.
    func list(tenant: TenantID) async throws -> [ApiKey]
    /// Revokes a key; false when the tenant has no such live key.
    func revoke(_ id: ApiKeyID, tenant: TenantID, at: Date) async throws -> Bool
    /// The live key whose secret has this hash.
    func find(secretHash: String) async throws -> ApiKey?
}
