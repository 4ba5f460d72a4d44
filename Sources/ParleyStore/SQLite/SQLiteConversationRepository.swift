import ParleyCore
import SQLiteNIO

/// Conversations in SQLite.
struct SQLiteConversationRepository: ConversationRepository {
    let database: SQLiteDatabase

    func create(_ conversation: Conversation) async throws {
        try await database.query(
            """
            INSERT INTO conversations (id, tenant_id, visitor_id, state, tags, bot_failures, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(conversation.id.rawValue), .text(conversation.tenantID.rawValue),
                .text(conversation.visitorID.rawValue), .text(conversation.state.rawValue),
                try SQLiteValues.json(conversation.tags.sorted()), .integer(conversation.botFailures),
                SQLiteValues.date(conversation.createdAt), SQLiteValues.date(conversation.updatedAt),
            ])
    }

    func get(_ id: ConversationID, tenant: TenantID) async throws -> Conversation? {
        try await database.query(
            "SELECT * FROM conversations WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(Self.conversation)
    }

    func list(tenant: TenantID, state: ConversationState?, limit: Int) async throws -> [Conversation] {
        var sql = "SELECT * FROM conversations WHERE tenant_id = ?"
        var binds: [SQLiteData] = [.text(tenant.rawValue)]
        if let state {
            sql += " AND state = ?"
            binds.append(.text(state.rawValue))
        }
        sql += " ORDER BY updated_at DESC, id LIMIT ?"
        binds.append(.integer(limit))
        return try await database.query(sql, binds).map(Self.conversation)
    }

    func latestOpen(visitor: VisitorID, tenant: TenantID) async throws -> Conversation? {
        try await database.query(
            """
            SELECT * FROM conversations WHERE tenant_id = ? AND visitor_id = ? AND state != 'closed'
            ORDER BY updated_at DESC LIMIT 1
            """,
            [.text(tenant.rawValue), .text(visitor.rawValue)]
        ).first.map(Self.conversation)
    }

    func update(_ conversation: Conversation) async throws -> Bool {
        !(try await database.query(
            Self.updateSQL, try Self.updateBinds(conversation)
        ).isEmpty)
    }

    static let updateSQL = """
        UPDATE conversations SET state = ?, tags = ?, bot_failures = ?, updated_at = ?, sentiment_trend = ?
        WHERE id = ? AND tenant_id = ? RETURNING id
        """

    static func updateBinds(_ conversation: Conversation) throws -> [SQLiteData] {
        [
            .text(conversation.state.rawValue), try SQLiteValues.json(conversation.tags.sorted()),
            .integer(conversation.botFailures), SQLiteValues.date(conversation.updatedAt),
            try conversation.sentimentTrend.map(SQLiteValues.json) ?? .null,
            .text(conversation.id.rawValue), .text(conversation.tenantID.rawValue),
        ]
    }

    static func conversation(_ row: SQLiteRow) throws -> Conversation {
        guard let state = ConversationState(rawValue: try row.string("state")) else {
            throw SQLiteColumnError(column: "state")
        }
        return Conversation(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), visitorID: try row.id("visitor_id"),
            state: state, tags: Set(try row.json("tags", as: [String].self)), botFailures: try row.int("bot_failures"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            sentimentTrend: row.optionalString("sentiment_trend") == nil
                ? nil : try row.json("sentiment_trend", as: SentimentTrendState.self))
    }
}
