import Foundation
import ParleyCore

/// API keys in PostgreSQL.
struct PostgresApiKeyRepository: ApiKeyRepository {
    let database: PostgresDatabase

    func create(_ key: ApiKey, secretHash: String) async throws {
        try await database.query(
            """
            INSERT INTO api_keys (id, tenant_id, name, prefix, role, secret_hash, created_at, revoked_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(key.id.rawValue), .text(key.tenantID.rawValue), .text(key.name), .text(key.prefix),
                .text(key.role.rawValue), .text(secretHash), SQLValues.date(key.createdAt),
                SQLValues.optionalDate(key.revokedAt), SQLValues.text(key.createdBy?.rawValue),
            ], scope: .tenant(key.tenantID))
    }

    func list(tenant: TenantID) async throws -> [ApiKey] {
        try await database.query(
            "SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id", [.text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).map(StoredRows.apiKey)
    }

    func revoke(_ id: ApiKeyID, tenant: TenantID, at: Date) async throws -> Bool {
        !(try await database.query(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL RETURNING id",
            [SQLValues.date(at), .text(id.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).isEmpty)
    }

    func find(secretHash: String) async throws -> ApiKey? {
        try await database.query(
            "SELECT * FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL", [.text(secretHash)],
            scope: .lookup(.apiKeySecretHash, secretHash)
        ).first.map(StoredRows.apiKey)
    }
}
