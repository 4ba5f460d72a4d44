import Foundation
import ParleyCore

/// Conversations in PostgreSQL.
struct PostgresConversationRepository: ConversationRepository {
    let database: PostgresDatabase

    func create(_ conversation: Conversation) async throws {
        try await database.query(
            """
            INSERT INTO conversations (id, tenant_id, visitor_id, state, tags, bot_failures, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(conversation.id.rawValue), .text(conversation.tenantID.rawValue),
                .text(conversation.visitorID.rawValue), .text(conversation.state.rawValue),
                try SQLValues.json(conversation.tags.sorted()), .integer(conversation.botFailures),
                SQLValues.date(conversation.createdAt), SQLValues.date(conversation.updatedAt),
            ], scope: .tenant(conversation.tenantID))
    }

    func get(_ id: ConversationID, tenant: TenantID) async throws -> Conversation? {
        try await database.query(
            "SELECT * FROM conversations WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).first.map(StoredRows.conversation)
    }

    func list(tenant: TenantID, state: ConversationState?, limit: Int) async throws -> [Conversation] {
        var sql = "SELECT * FROM conversations WHERE tenant_id = ?"
        var binds: [SQLValue] = [.text(tenant.rawValue)]
        if let state {
            sql += " AND state = ?"
            binds.append(.text(state.rawValue))
        }
        sql += " ORDER BY updated_at DESC, id LIMIT ?"
        binds.append(.integer(limit))
        return try await database.query(sql, binds, scope: .tenant(tenant)).map(StoredRows.conversation)
    }

    func list(visitor: VisitorID, tenant: TenantID, limit: Int) async throws -> [Conversation] {
        try await database.query(
            "SELECT * FROM conversations WHERE tenant_id = ? AND visitor_id = ? ORDER BY updated_at DESC, id LIMIT ?",
            [.text(tenant.rawValue), .text(visitor.rawValue), .integer(limit)], scope: .tenant(tenant)
        ).map(StoredRows.conversation)
    }

    func saveRating(_ rating: ConversationRating) async throws -> Bool {
        try await database.transaction(scope: .tenant(rating.tenantID)) { transaction in
            guard
                try await transaction.query(
                    "SELECT 1 FROM conversations WHERE id = ? AND tenant_id = ?",
                    [.text(rating.conversationID.rawValue), .text(rating.tenantID.rawValue)]
                ).first != nil
            else { return false }
            try await transaction.query(
                """
                INSERT INTO conversation_ratings (conversation_id, tenant_id, rating, comment, created_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (conversation_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
                    created_at = excluded.created_at
                """,
                [
                    .text(rating.conversationID.rawValue), .text(rating.tenantID.rawValue), .integer(rating.rating),
                    SQLValues.text(rating.comment), SQLValues.date(rating.createdAt),
                ])
            return true
        }
    }

    func rating(of conversation: ConversationID, tenant: TenantID) async throws -> ConversationRating? {
        try await database.query(
            "SELECT * FROM conversation_ratings WHERE conversation_id = ? AND tenant_id = ?",
            [.text(conversation.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).first.map { row in
            ConversationRating(
                conversationID: try row.id("conversation_id"), tenantID: try row.id("tenant_id"),
                rating: try row.int("rating"), comment: row.column("comment")?.string,
                createdAt: try row.date("created_at"))
        }
    }

    func latestOpen(visitor: VisitorID, tenant: TenantID) async throws -> Conversation? {
        try await database.query(
            """
            SELECT * FROM conversations WHERE tenant_id = ? AND visitor_id = ? AND state != 'closed'
            ORDER BY updated_at DESC LIMIT 1
            """,
            [.text(tenant.rawValue), .text(visitor.rawValue)], scope: .tenant(tenant)
        ).first.map(StoredRows.conversation)
    }

    func queue(tenant: TenantID, limit: Int) async throws -> [Conversation] {
        try await database.query(
            """
            SELECT * FROM conversations WHERE tenant_id = ? AND state = 'queued'
            ORDER BY COALESCE((handoff::jsonb #>> '{escalation,priority}')::double precision, 1) DESC,
                COALESCE((handoff::jsonb ->> 'queued_at')::double precision, updated_at), id
            LIMIT ?
            """,
            [.text(tenant.rawValue), .integer(max(0, limit))], scope: .tenant(tenant)
        ).map(StoredRows.conversation)
    }

    func transition(
        _ id: ConversationID, tenant: TenantID, from: Set<ConversationState>, to state: ConversationState,
        agent: UserID?, handoff: Handoff?, holder: UserID?, at time: Date
    ) async throws -> Conversation? {
        let allowed = from.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        var binds: [SQLValue] = [.text(state.rawValue), SQLValues.date(time)]
        let assignment: String
        switch state {
        case .human:
            assignment = ", assigned_agent = ?"
            binds.append(SQLValues.text(agent?.rawValue))
        case .bot: assignment = ", assigned_agent = NULL, handoff = NULL, bot_failures = 0"
        case .queued:
            assignment = ", handoff = ?"
            binds.append(try handoff.map(SQLValues.json) ?? .null)
        case .closed: assignment = ""
        }
        let rows = try await database.query(
            """
            UPDATE conversations SET state = ?, updated_at = ?\(assignment)
            WHERE id = ? AND tenant_id = ? AND state IN (\(allowed))\(holder == nil ? "" : SQLValues.heldByCondition) RETURNING *
            """,
            binds + [.text(id.rawValue), .text(tenant.rawValue)] + (holder.map { [.text($0.rawValue)] } ?? []),
            scope: .tenant(tenant))
        return try rows.first.map(StoredRows.conversation)
    }

    func update(_ conversation: Conversation) async throws -> Bool {
        !(try await database.query(
            Self.updateSQL, try Self.updateBinds(conversation), scope: .tenant(conversation.tenantID)
        ).isEmpty)
    }

    static let updateSQL = """
        UPDATE conversations SET state = ?, tags = ?, bot_failures = ?, updated_at = ?, sentiment_trend = ?,
            handoff = ?, assigned_agent = ?
        WHERE id = ? AND tenant_id = ? RETURNING id
        """

    func setModelSummary(_ summary: String, conversation: ConversationID, tenant: TenantID) async throws -> Bool {
        !(try await database.query(
            """
            UPDATE conversations SET handoff = jsonb_set(handoff::jsonb, '{model_summary}', to_jsonb(?::text))::text
            WHERE id = ? AND tenant_id = ? AND handoff IS NOT NULL RETURNING id
            """, [.text(summary), .text(conversation.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).isEmpty)
    }

    static func updateBinds(_ conversation: Conversation) throws -> [SQLValue] {
        [
            .text(conversation.state.rawValue), try SQLValues.json(conversation.tags.sorted()),
            .integer(conversation.botFailures), SQLValues.date(conversation.updatedAt),
            try conversation.sentimentTrend.map(SQLValues.json) ?? .null,
            try conversation.handoff.map(SQLValues.json) ?? .null,
            SQLValues.text(conversation.assignedAgent?.rawValue),
            .text(conversation.id.rawValue), .text(conversation.tenantID.rawValue),
        ]
    }
}
