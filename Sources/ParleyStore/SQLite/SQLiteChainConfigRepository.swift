import Foundation
import ParleyCore

/// Versioned chain configurations in SQLite.
///
/// Activations form a stack per tenant: activating pushes a version, rolling back pops the top one, so repeated
/// rollbacks walk back through what was actually active, in order.
struct SQLiteChainConfigRepository: ChainConfigRepository {
    let database: SQLiteDatabase

    private static let activeSQL = """
        SELECT c.* FROM chain_configs c
        WHERE c.tenant_id = ? AND c.version = (
            SELECT version FROM chain_activations WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1)
        """

    func active(tenant: TenantID) async throws -> ChainConfigVersion? {
        try await database.query(Self.activeSQL, [.text(tenant.rawValue), .text(tenant.rawValue)])
            .first.map(StoredRows.chainVersion)
    }

    func activate(_ config: ChainConfig, tenant: TenantID, by user: UserID?) async throws -> ChainConfigVersion {
        try await database.transaction { transaction in
            let next =
                try transaction.query(
                    "SELECT COALESCE(MAX(version), 0) + 1 AS next FROM chain_configs WHERE tenant_id = ?",
                    [.text(tenant.rawValue)]
                ).first?.int("next") ?? 1
            try transaction.query(
                "INSERT INTO chain_configs (tenant_id, version, config, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(tenant.rawValue), .integer(next), try SQLValues.json(config),
                    SQLValues.text(user?.rawValue), SQLValues.date(Date()),
                ])
            try transaction.query(
                "INSERT INTO chain_activations (tenant_id, version) VALUES (?, ?)",
                [.text(tenant.rawValue), .integer(next)])
            return ChainConfigVersion(version: next, config: config, createdBy: user)
        }
    }

    func rollback(tenant: TenantID) async throws -> ChainConfigVersion? {
        try await database.transaction { transaction in
            let activations = try transaction.query(
                "SELECT seq FROM chain_activations WHERE tenant_id = ? ORDER BY seq DESC LIMIT 2",
                [.text(tenant.rawValue)])
            guard activations.count == 2 else { return nil }
            try transaction.query(
                "DELETE FROM chain_activations WHERE seq = ? AND tenant_id = ?",
                [.integer(try activations[0].int("seq")), .text(tenant.rawValue)])
            return try transaction.query(Self.activeSQL, [.text(tenant.rawValue), .text(tenant.rawValue)])
                .first.map(StoredRows.chainVersion)
        }
    }

    func versions(tenant: TenantID) async throws -> [ChainConfigVersion] {
        try await database.query(
            "SELECT * FROM chain_configs WHERE tenant_id = ? ORDER BY version DESC", [.text(tenant.rawValue)]
        ).map(StoredRows.chainVersion)
    }
}
