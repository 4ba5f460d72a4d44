import ParleyCore

/// Visitors in PostgreSQL.
struct PostgresVisitorRepository: VisitorRepository {
    let database: PostgresDatabase

    func save(_ visitor: Visitor) async throws {
        try await database.query(
            """
            INSERT INTO visitors (tenant_id, id, attributes, first_seen_at, last_seen_at, visits)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, id) DO UPDATE SET last_seen_at = excluded.last_seen_at, visits = excluded.visits
            """,
            [
                .text(visitor.tenantID.rawValue), .text(visitor.id.rawValue), try SQLValues.json(visitor.attributes),
                SQLValues.date(visitor.firstSeenAt), SQLValues.date(visitor.lastSeenAt),
                .integer(visitor.visits),
            ], scope: .tenant(visitor.tenantID))
    }

    func mergeAttributes(_ updates: [String: JSONValue], visitor: VisitorID, tenant: TenantID) async throws -> Bool {
        let key: [SQLValue] = [.text(tenant.rawValue), .text(visitor.rawValue)]
        return try await database.transaction(scope: .tenant(tenant)) { transaction in
            guard
                let row = try await transaction.query(
                    "SELECT * FROM visitors WHERE tenant_id = ? AND id = ? FOR UPDATE", key
                ).first
            else { return false }
            let merged = try StoredRows.visitor(row).attributes.merging(updates) { _, new in new }
            try await transaction.query(
                "UPDATE visitors SET attributes = ? WHERE tenant_id = ? AND id = ?", [try SQLValues.json(merged)] + key)
            return true
        }
    }

    func get(_ id: VisitorID, tenant: TenantID) async throws -> Visitor? {
        try await database.query(
            "SELECT * FROM visitors WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).first.map(StoredRows.visitor)
    }

    func erase(_ id: VisitorID, tenant: TenantID) async throws -> Int {
        let binds: [SQLValue] = [.text(tenant.rawValue), .text(id.rawValue)]
        return try await database.transaction(scope: .tenant(tenant)) { transaction in
            let conversations =
                try await transaction.query(
                    "SELECT count(*) AS n FROM conversations WHERE tenant_id = ? AND visitor_id = ?", binds
                ).first?.int("n") ?? 0
            // Shadow-run results carry the rule inputs of the visitor's turns.
            try await transaction.query(
                """
                DELETE FROM rule_shadow_results WHERE tenant_id = ? AND conversation_id IN (
                    SELECT id FROM conversations WHERE tenant_id = ? AND visitor_id = ?)
                """, [.text(tenant.rawValue)] + binds)
            // Messages, their turns and feedback, and ratings go with their conversations (foreign keys cascade).
            try await transaction.query("DELETE FROM conversations WHERE tenant_id = ? AND visitor_id = ?", binds)
            try await transaction.query(
                "DELETE FROM proactive_deliveries WHERE tenant_id = ? AND visitor_id = ?", binds)
            try await transaction.query("DELETE FROM visitors WHERE tenant_id = ? AND id = ?", binds)
            return conversations
        }
    }
}
