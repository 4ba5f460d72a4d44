import Foundation
import ParleyCore

/// Versioned chain configurations in PostgreSQL, with the same activation stack as SQLite's.
///
/// Activating and rolling back read then write; a per-tenant advisory lock makes them take turns across replicas.
struct PostgresChainConfigRepository: ChainConfigRepository {
    let database: PostgresDatabase

    private static let activeSQL = """
        SELECT c.* FROM chain_configs c
        WHERE c.tenant_id = ? AND c.version = (
            SELECT version FROM chain_activations WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1)
        """

    func active(tenant: TenantID) async throws -> ChainConfigVersion? {
        try await database.query(
            Self.activeSQL, [.text(tenant.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        )
        .first.map(StoredRows.chainVersion)
    }

    func activate(_ config: ChainConfig, tenant: TenantID, by user: UserID?) async throws -> ChainConfigVersion {
        let encoded = try SQLValues.json(config)
        return try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await transaction.lock("parley.chain.\(tenant.rawValue)")
            let next =
                try await transaction.query(
                    "SELECT COALESCE(MAX(version), 0) + 1 AS next FROM chain_configs WHERE tenant_id = ?",
                    [.text(tenant.rawValue)]
                ).first?.int("next") ?? 1
            try await transaction.query(
                "INSERT INTO chain_configs (tenant_id, version, config, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(tenant.rawValue), .integer(next), encoded, SQLValues.text(user?.rawValue),
                    SQLValues.date(Date()),
                ]
            )
            try await transaction.query(
                "INSERT INTO chain_activations (tenant_id, version) VALUES (?, ?)",
                [.text(tenant.rawValue), .integer(next)])
            return ChainConfigVersion(version: next, config: config, createdBy: user)
        }
    }

    func rollback(tenant: TenantID) async throws -> ChainConfigVersion? {
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await transaction.lock("parley.chain.\(tenant.rawValue)")
            let activations = try await transaction.query(
                "SELECT seq FROM chain_activations WHERE tenant_id = ? ORDER BY seq DESC LIMIT 2",
                [.text(tenant.rawValue)])
            guard activations.count == 2 else { return nil }
            try await transaction.query(
                "DELETE FROM chain_activations WHERE seq = ? AND tenant_id = ?",
                [.integer(try activations[0].int("seq")), .text(tenant.rawValue)])
            return try await transaction.query(Self.activeSQL, [.text(tenant.rawValue), .text(tenant.rawValue)])
                .first.map(StoredRows.chainVersion)
        }
    }

    func versions(tenant: TenantID) async throws -> [ChainConfigVersion] {
        try await database.query(
            "SELECT * FROM chain_configs WHERE tenant_id = ? ORDER BY version DESC", [.text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).map(StoredRows.chainVersion)
    }
}
