import Foundation
import ParleyCore

/// Tenants' Lua rules in PostgreSQL: versions, an activation stack per rule, shadow candidates and results.
struct PostgresRuleRepository: RuleRepository {
    let database: PostgresDatabase

    /// The version on top of a rule's activation stack (NULL when deactivated or never activated).
    private static let topActivation = """
        (SELECT a.version FROM rule_activations a WHERE a.tenant_id = v.tenant_id AND a.name = v.name
         ORDER BY a.seq DESC LIMIT 1)
        """

    /// Serialises the changes to one rule, as SQLite's one writer does: the next version number and the activation
    /// stack's top are read, then written, in one transaction.
    private static func lock(_ name: String, tenant: TenantID, in transaction: PostgresTransaction) async throws {
        try await transaction.lock("parley.rule.\(tenant.rawValue).\(name)")
    }

    func save(name: String, source: String, fixtures: String?, tenant: TenantID, by user: UserID?) async throws
        -> RuleVersion
    {
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await Self.lock(name, tenant: tenant, in: transaction)
            let next =
                try await transaction.query(
                    "SELECT COALESCE(MAX(version), 0) + 1 AS next FROM rule_versions WHERE tenant_id = ? AND name = ?",
                    [.text(tenant.rawValue), .text(name)]
                ).first?.int("next") ?? 1
            let saved = RuleVersion(
                tenantID: tenant, name: name, version: next, source: source, fixtures: fixtures, createdBy: user,
                createdAt: Date())
            try await transaction.query(
                """
                INSERT INTO rule_versions (tenant_id, name, version, source, fixtures, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(tenant.rawValue), .text(name), .integer(next), .text(source), SQLValues.text(fixtures),
                    SQLValues.text(user?.rawValue), SQLValues.date(saved.createdAt),
                ])
            return saved
        }
    }

    func version(name: String, version: Int, tenant: TenantID) async throws -> RuleVersion? {
        try await database.query(
            "SELECT * FROM rule_versions WHERE tenant_id = ? AND name = ? AND version = ?",
            [.text(tenant.rawValue), .text(name), .integer(version)], scope: .tenant(tenant)
        ).first.map(StoredRows.ruleVersion)
    }

    func versions(name: String, tenant: TenantID) async throws -> [RuleVersion] {
        try await database.query(
            "SELECT * FROM rule_versions WHERE tenant_id = ? AND name = ? ORDER BY version DESC",
            [.text(tenant.rawValue), .text(name)], scope: .tenant(tenant)
        ).map(StoredRows.ruleVersion)
    }

    func activate(name: String, version: Int, tenant: TenantID) async throws -> Bool {
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await Self.lock(name, tenant: tenant, in: transaction)
            let exists = try await transaction.query(
                "SELECT 1 FROM rule_versions WHERE tenant_id = ? AND name = ? AND version = ?",
                [.text(tenant.rawValue), .text(name), .integer(version)])
            guard !exists.isEmpty else { return false }
            try await transaction.query(
                "INSERT INTO rule_activations (tenant_id, name, version) VALUES (?, ?, ?)",
                [.text(tenant.rawValue), .text(name), .integer(version)])
            return true
        }
    }

    func deactivate(name: String, tenant: TenantID) async throws -> Bool {
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await Self.lock(name, tenant: tenant, in: transaction)
            let exists = try await transaction.query(
                "SELECT 1 FROM rule_versions WHERE tenant_id = ? AND name = ? LIMIT 1",
                [.text(tenant.rawValue), .text(name)])
            guard !exists.isEmpty else { return false }
            try await transaction.query(
                "INSERT INTO rule_activations (tenant_id, name, version) VALUES (?, ?, NULL)",
                [.text(tenant.rawValue), .text(name)])
            try await transaction.query(
                "DELETE FROM rule_shadows WHERE tenant_id = ? AND name = ?", [.text(tenant.rawValue), .text(name)])
            return true
        }
    }

    func rollback(name: String, tenant: TenantID) async throws -> Int?? {
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await Self.lock(name, tenant: tenant, in: transaction)
            let top = try await transaction.query(
                "SELECT seq, version FROM rule_activations WHERE tenant_id = ? AND name = ? ORDER BY seq DESC LIMIT 2",
                [.text(tenant.rawValue), .text(name)])
            guard top.count == 2 else { return nil }
            try await transaction.query(
                "DELETE FROM rule_activations WHERE seq = ? AND tenant_id = ?",
                [.integer(try top[0].int("seq")), .text(tenant.rawValue)])
            return .some(top[1].column("version")?.integer)
        }
    }

    func active(tenant: TenantID) async throws -> [RuleVersion] {
        try await database.query(
            "SELECT * FROM rule_versions v WHERE v.tenant_id = ? AND v.version = \(Self.topActivation) ORDER BY v.name",
            [.text(tenant.rawValue)], scope: .tenant(tenant)
        ).map(StoredRows.ruleVersion)
    }

    func statuses(tenant: TenantID) async throws -> [RuleStatus] {
        try await database.query(
            """
            SELECT v.name, MAX(v.version) AS latest, \(Self.topActivation) AS active,
                (SELECT s.version FROM rule_shadows s WHERE s.tenant_id = v.tenant_id AND s.name = v.name) AS shadow
            FROM rule_versions v WHERE v.tenant_id = ? GROUP BY v.tenant_id, v.name ORDER BY v.name
            """,
            [.text(tenant.rawValue)], scope: .tenant(tenant)
        ).map { row in
            RuleStatus(
                name: try row.string("name"), latestVersion: try row.int("latest"),
                activeVersion: row.column("active")?.integer, shadowVersion: row.column("shadow")?.integer)
        }
    }

    func setShadow(name: String, version: Int?, tenant: TenantID) async throws -> Bool {
        guard let version else {
            try await database.query(
                "DELETE FROM rule_shadows WHERE tenant_id = ? AND name = ?", [.text(tenant.rawValue), .text(name)],
                scope: .tenant(tenant))
            return true
        }
        return try await database.transaction(scope: .tenant(tenant)) { transaction in
            let exists = try await transaction.query(
                "SELECT 1 FROM rule_versions WHERE tenant_id = ? AND name = ? AND version = ?",
                [.text(tenant.rawValue), .text(name), .integer(version)])
            guard !exists.isEmpty else { return false }
            try await transaction.query(
                """
                INSERT INTO rule_shadows (tenant_id, name, version) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE SET version = excluded.version
                """,
                [.text(tenant.rawValue), .text(name), .integer(version)])
            return true
        }
    }

    func shadows(tenant: TenantID) async throws -> [RuleVersion] {
        try await database.query(
            """
            SELECT v.* FROM rule_versions v JOIN rule_shadows s
                ON s.tenant_id = v.tenant_id AND s.name = v.name AND s.version = v.version
            WHERE v.tenant_id = ? ORDER BY v.name
            """,
            [.text(tenant.rawValue)], scope: .tenant(tenant)
        ).map(StoredRows.ruleVersion)
    }

    func recordShadowResults(_ results: [ShadowResult]) async throws {
        guard !results.isEmpty else { return }
        try await database.transaction(scope: .tenant(results[0].tenantID)) { transaction in
            for result in results {
                try await transaction.query(
                    """
                    INSERT INTO rule_shadow_results (tenant_id, name, active_version, candidate_version,
                        conversation_id, message_id, active, candidate, agrees, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(result.tenantID.rawValue), .text(result.rule),
                        result.activeVersion.map { .integer($0) } ?? .null, .integer(result.candidateVersion),
                        .text(result.conversationID.rawValue), .text(result.messageID.rawValue),
                        try SQLValues.json(result.active), try SQLValues.json(result.candidate),
                        .integer(result.agrees ? 1 : 0), SQLValues.date(result.createdAt),
                    ])
            }
        }
    }

    func shadowResults(
        name: String, candidateVersion: Int, tenant: TenantID, disagreementsOnly: Bool, limit: Int
    ) async throws -> [ShadowResult] {
        try await database.query(
            """
            SELECT * FROM rule_shadow_results
            WHERE tenant_id = ? AND name = ? AND candidate_version = ? AND (? = 0 OR agrees = 0)
            ORDER BY seq DESC LIMIT ?
            """,
            [
                .text(tenant.rawValue), .text(name), .integer(candidateVersion), .integer(disagreementsOnly ? 1 : 0),
                .integer(max(0, limit)),
            ], scope: .tenant(tenant)
        ).map { row in
            ShadowResult(
                tenantID: try row.id("tenant_id"), rule: try row.string("name"),
                activeVersion: row.column("active_version")?.integer,
                candidateVersion: try row.int("candidate_version"), conversationID: try row.id("conversation_id"),
                messageID: try row.id("message_id"), active: try row.json("active", as: JSONValue.self),
                candidate: try row.json("candidate", as: JSONValue.self), agrees: try row.int("agrees") == 1,
                createdAt: try row.date("created_at"))
        }
    }

    func shadowCounts(name: String, candidateVersion: Int, tenant: TenantID) async throws -> (
        total: Int, disagreements: Int
    ) {
        let row = try await database.query(
            """
            SELECT COUNT(*) AS total, COALESCE(SUM(1 - agrees), 0) AS disagreements FROM rule_shadow_results
            WHERE tenant_id = ? AND name = ? AND candidate_version = ?
            """,
            [.text(tenant.rawValue), .text(name), .integer(candidateVersion)], scope: .tenant(tenant)
        ).first
        return (try row?.int("total") ?? 0, try row?.int("disagreements") ?? 0)
    }
}
