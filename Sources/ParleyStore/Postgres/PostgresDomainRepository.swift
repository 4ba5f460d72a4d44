import Foundation
import ParleyCore

/// Website domains in PostgreSQL.
struct PostgresDomainRepository: DomainRepository {
    let database: PostgresDatabase

    func create(_ domain: WebsiteDomain) async throws {
        do {
            try await database.query(
                """
                INSERT INTO domains (id, tenant_id, host, verification_token, verified_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(domain.id.rawValue), .text(domain.tenantID.rawValue), .text(domain.host),
                    .text(domain.verificationToken), SQLValues.optionalDate(domain.verifiedAt),
                    SQLValues.date(domain.createdAt),
                ], scope: .tenant(domain.tenantID))
        } catch StoreError.conflict {
            throw StoreError.conflict("the domain '\(domain.host)' is already registered")
        }
    }

    func get(_ id: DomainID, tenant: TenantID) async throws -> WebsiteDomain? {
        try await database.query(
            "SELECT * FROM domains WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).first.map(StoredRows.domain)
    }

    func list(tenant: TenantID) async throws -> [WebsiteDomain] {
        try await database.query(
            "SELECT * FROM domains WHERE tenant_id = ? ORDER BY created_at, id", [.text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).map(StoredRows.domain)
    }

    func markVerified(_ id: DomainID, tenant: TenantID, at: Date) async throws -> Bool {
        !(try await database.query(
            "UPDATE domains SET verified_at = ? WHERE id = ? AND tenant_id = ? RETURNING id",
            [SQLValues.date(at), .text(id.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).isEmpty)
    }

    func delete(_ id: DomainID, tenant: TenantID) async throws -> Bool {
        !(try await database.query(
            "DELETE FROM domains WHERE id = ? AND tenant_id = ? RETURNING id",
            [.text(id.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).isEmpty)
    }

    func isVerified(host: String, tenant: TenantID) async throws -> Bool {
        !(try await database.query(
            "SELECT 1 FROM domains WHERE host = ? AND tenant_id = ? AND verified_at IS NOT NULL",
            [.text(host.lowercased()), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).isEmpty)
    }
}
