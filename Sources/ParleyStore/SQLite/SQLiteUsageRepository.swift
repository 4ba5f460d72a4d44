import Foundation
import ParleyCore

/// Token usage in SQLite.
struct SQLiteUsageRepository: UsageRepository {
    let database: SQLiteDatabase

    func record(_ usage: TokenUsageRecord) async throws {
        try await database.query(
            """
            INSERT INTO token_usage (tenant_id, conversation_id, provider, prompt_tokens, completion_tokens, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .text(usage.tenantID.rawValue), .text(usage.conversationID.rawValue), .text(usage.provider),
                .integer(usage.promptTokens), .integer(usage.completionTokens), SQLValues.date(usage.createdAt),
            ])
    }

    func totals(tenant: TenantID, since: Date, conversation: ConversationID?) async throws -> [UsageTotal] {
        var sql = """
            SELECT provider, COUNT(*) AS calls, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion
            FROM token_usage WHERE tenant_id = ? AND created_at >= ?
            """
        var binds: [SQLValue] = [.text(tenant.rawValue), SQLValues.date(since)]
        if let conversation {
            sql += " AND conversation_id = ?"
            binds.append(.text(conversation.rawValue))
        }
        sql += " GROUP BY provider ORDER BY provider"
        return try await database.query(sql, binds).map { row in
            UsageTotal(
                provider: try row.string("provider"), calls: try row.int("calls"), promptTokens: try row.int("prompt"),
                completionTokens: try row.int("completion"))
        }
    }
}
