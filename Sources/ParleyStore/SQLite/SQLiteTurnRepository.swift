import Foundation
import ParleyCore
import SQLiteNIO

/// Finished turns in SQLite.
struct SQLiteTurnRepository: TurnRepository {
    let database: SQLiteDatabase

    func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation) async throws {
        try await database.transaction { transaction in
            if let reply {
                try await transaction.query(
                    SQLiteMessageRepository.insertSQL, try SQLiteMessageRepository.insertBinds(reply))
            }
            try await transaction.query(
                """
                INSERT INTO turns (message_id, tenant_id, conversation_id, decision, decided_by, reply_id, trace,
                    created_at, rule_input)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(turn.messageID.rawValue), .text(turn.tenantID.rawValue), .text(turn.conversationID.rawValue),
                    .text(turn.decision), SQLiteValues.text(turn.decidedBy), SQLiteValues.text(turn.replyID?.rawValue),
                    try SQLiteValues.json(turn.trace), SQLiteValues.date(turn.createdAt),
                    try turn.ruleInput.map(SQLiteValues.json) ?? .null,
                ])
            if let storedText = turn.storedText {
                try await transaction.query(
                    "UPDATE messages SET text = ? WHERE id = ? AND tenant_id = ?",
                    [.text(storedText), .text(turn.messageID.rawValue), .text(turn.tenantID.rawValue)])
            }
            guard
                let row = try await transaction.query(
                    "SELECT * FROM conversations WHERE id = ? AND tenant_id = ?",
                    [.text(conversation.id.rawValue), .text(conversation.tenantID.rawValue)]
                ).first
            else { return }
            var merged = try SQLiteConversationRepository.conversation(row)
            merged.tags.formUnion(conversation.tags)
            merged.botFailures = conversation.botFailures
            merged.sentimentTrend = conversation.sentimentTrend ?? merged.sentimentTrend
            merged.updatedAt = conversation.updatedAt
            if merged.state == .bot {
                merged.state = conversation.state
                if conversation.state == .queued { merged.handoff = conversation.handoff }
            }
            try await transaction.query(
                SQLiteConversationRepository.updateSQL, try SQLiteConversationRepository.updateBinds(merged))
        }
    }

    func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord? {
        try await database.query(
            "SELECT * FROM turns WHERE message_id = ? AND tenant_id = ?",
            [.text(message.rawValue), .text(tenant.rawValue)]
        ).first.map(Self.turn)
    }

    func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord] {
        try await database.query(
            "SELECT * FROM turns WHERE tenant_id = ? AND conversation_id = ? ORDER BY created_at, message_id",
            [.text(tenant.rawValue), .text(conversation.rawValue)]
        ).map(Self.turn)
    }

    func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord] {
        try await database.query(
            """
            SELECT * FROM turns WHERE tenant_id = ? AND created_at >= ? AND rule_input IS NOT NULL
            ORDER BY created_at, message_id LIMIT ?
            """,
            [.text(tenant.rawValue), SQLiteValues.date(since), .integer(max(0, limit))]
        ).map(Self.turn)
    }

    static func turn(_ row: SQLiteRow) throws -> TurnRecord {
        TurnRecord(
            tenantID: try row.id("tenant_id"), conversationID: try row.id("conversation_id"),
            messageID: try row.id("message_id"), decision: try row.string("decision"),
            decidedBy: row.optionalString("decided_by"), replyID: row.optionalID("reply_id"),
            trace: try row.json("trace", as: [TraceEntry].self), createdAt: try row.date("created_at"),
            ruleInput: row.optionalString("rule_input") == nil ? nil : try row.json("rule_input", as: JSONValue.self))
    }
}
