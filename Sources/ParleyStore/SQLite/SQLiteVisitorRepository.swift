import ParleyCore

/// Visitors in SQLite.
struct SQLiteVisitorRepository: VisitorRepository {
    let database: SQLiteDatabase

    func save(_ visitor: Visitor) async throws {
        try await database.query(
            """
            INSERT INTO visitors (tenant_id, id, attributes, first_seen_at, last_seen_at, visits)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, id) DO UPDATE SET attributes = excluded.attributes,
                last_seen_at = excluded.last_seen_at, visits = excluded.visits
            """,
            [
                .text(visitor.tenantID.rawValue), .text(visitor.id.rawValue), try SQLiteValues.json(visitor.attributes),
                SQLiteValues.date(visitor.firstSeenAt), SQLiteValues.date(visitor.lastSeenAt),
                .integer(visitor.visits),
            ])
    }

    func get(_ id: VisitorID, tenant: TenantID) async throws -> Visitor? {
        try await database.query(Self.getSQL, [.text(id.rawValue), .text(tenant.rawValue)]).first.map(Self.visitor)
    }

    static let getSQL = "SELECT * FROM visitors WHERE id = ? AND tenant_id = ?"

    static func visitor(_ row: SQLiteRow) throws -> Visitor {
        Visitor(
            id: try row.id("id"), tenantID: try row.id("tenant_id"),
            attributes: try row.json("attributes", as: [String: JSONValue].self),
            firstSeenAt: try row.date("first_seen_at"), lastSeenAt: try row.date("last_seen_at"),
            visits: try row.int("visits"))
    }
}
