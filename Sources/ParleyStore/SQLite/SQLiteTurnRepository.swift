import Foundation
import ParleyCore

/// Finished turns in SQLite.
struct SQLiteTurnRepository: TurnRepository {
    let database: SQLiteDatabase

    /// One process serves a SQLite file: turns need no lease.
    var turnLease: Duration? { nil }

    func claim(turn message: MessageID, tenant: TenantID, now: Date) async throws -> Bool { true }

    func renew(turn message: MessageID, tenant: TenantID, now: Date) async throws {}

    func begin(_ message: Message, visitor: VisitorID) async throws -> TurnOpening {
        let binds = try SQLValues.messageInsert(message)
        // The unit only checks and stores; decoding the rows it read happens after, off the writer thread.
        let (opening, conversationRow, visitorRow) = try await database.transaction {
            transaction -> (TurnOpening, SQLRow?, SQLRow?) in
            guard
                let row = try transaction.query(
                    "SELECT * FROM conversations WHERE id = ? AND tenant_id = ?",
                    [.text(message.conversationID.rawValue), .text(message.tenantID.rawValue)]
                ).first, row.column("visitor_id")?.string == visitor.rawValue
            else { return (.notFound, nil, nil) }
            guard row.column("state")?.string != ConversationState.closed.rawValue else {
                // A message sent before the close and sent again (its answer was lost) gets its original result.
                let existing = try SQLiteMessageRepository.stored(sameAs: message, transaction)
                return (existing.map(TurnOpening.duplicate) ?? .closed, nil, nil)
            }
            switch try SQLiteMessageRepository.appendCustomer(message, binds, transaction) {
            case .duplicate(let existing):
                return (.duplicate(existing), nil, nil)
            case .created:
                let visitorRow = try transaction.query(
                    "SELECT * FROM visitors WHERE id = ? AND tenant_id = ?",
                    [.text(visitor.rawValue), .text(message.tenantID.rawValue)]
                ).first
                return (.notFound, row, visitorRow)
            }
        }
        guard let conversationRow else { return opening }
        var conversation = try StoredRows.conversation(conversationRow)
        conversation.updatedAt = max(conversation.updatedAt, message.createdAt)
        return .started(
            TurnStart(
                conversation: conversation, visitor: try visitorRow.map(StoredRows.visitor),
                customerMessageCount: try conversationRow.int("customer_messages") + 1))
    }

    /// Merges a turn's changes into the conversation as stored now (see `TurnRepository.complete`).
    ///
    /// `state` and `handoff` are assigned only when the turn moves the conversation out of `bot`: SQLite rewrites
    /// every index on an assigned column, changed or not, so the usual turn leaves the state index alone.
    private static func mergeConversationSQL(changingState: Bool) -> String {
        var assignments = """
            tags = (SELECT json_group_array(value) FROM (
                SELECT value FROM json_each(conversations.tags) UNION SELECT value FROM json_each(?) ORDER BY value)),
            bot_failures = COALESCE(?, bot_failures), updated_at = ?, sentiment_trend = COALESCE(?, sentiment_trend), recent_questions = ?
            """
        if changingState {
            assignments += """
                ,
                handoff = CASE WHEN state = 'bot' AND ? = 'queued' THEN ? ELSE handoff END,
                state = CASE WHEN state = 'bot' THEN ? ELSE state END
                """
        }
        return "UPDATE conversations SET \(assignments) WHERE id = ? AND tenant_id = ?"
    }

    private static let mergeSQL = mergeConversationSQL(changingState: false)
    private static let mergeChangingStateSQL = mergeConversationSQL(changingState: true)

    func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
        async throws
    {
        // Everything that encodes JSON happens here, before the unit reaches the writer thread.
        let replyBinds = try reply.map(SQLValues.messageInsert)
        let turnBinds = try SQLValues.turnInsert(turn)
        let storedText = turn.storedText.map { text -> [SQLValue] in
            [.text(text), .text(turn.messageID.rawValue), .text(turn.tenantID.rawValue)]
        }
        // Only a turn that began with the bot and moved the conversation on changes its state; any other keeps the
        // state as stored now (an agent may have taken it, or handed it back, while the turn ran).
        let changingState = beganIn == .bot && conversation.state != .bot
        var mergeBinds: [SQLValue] = [
            try SQLValues.json(conversation.tags.sorted()),
            // Bot failures are the bot's count: a turn that began with an agent or in the queue leaves them as
            // stored (a hand-back meanwhile reset them).
            beganIn == .bot ? .integer(conversation.botFailures) : .null,
            SQLValues.date(conversation.updatedAt), try conversation.sentimentTrend.map(SQLValues.json) ?? .null,
            try SQLValues.json(conversation.recentQuestions),
        ]
        if changingState {
            mergeBinds += [
                .text(conversation.state.rawValue), try conversation.handoff.map(SQLValues.json) ?? .null,
                .text(conversation.state.rawValue),
            ]
        }
        mergeBinds += [.text(conversation.id.rawValue), .text(conversation.tenantID.rawValue)]
        let merge = mergeBinds
        let mergeSQL = changingState ? Self.mergeChangingStateSQL : Self.mergeSQL
        try await database.transaction { transaction in
            if let replyBinds {
                try transaction.query(SQLValues.messageInsertSQL, replyBinds)
            }
            try transaction.query(SQLValues.turnInsertSQL, turnBinds)
            if let storedText {
                try transaction.query("UPDATE messages SET text = ? WHERE id = ? AND tenant_id = ?", storedText)
            }
            try transaction.query(mergeSQL, merge)
        }
    }

    func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord? {
        try await database.query(
            "SELECT * FROM turns WHERE message_id = ? AND tenant_id = ?",
            [.text(message.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.turn)
    }

    /// The turns of one conversation, found through its messages and looked up by key.
    ///
    /// The unary `+` keeps SQLite from walking the tenant's `turns_tenant_created` entries for `tenant_id`, which,
    /// without statistics, it would otherwise prefer (tested in `SQLiteQueryPlanTests`).
    static let conversationTurnsSQL = """
        SELECT * FROM turns WHERE +tenant_id = ? AND message_id IN (
            SELECT id FROM messages WHERE tenant_id = ? AND conversation_id = ?)
        ORDER BY created_at, message_id
        """

    func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord] {
        try await database.query(
            Self.conversationTurnsSQL,
            [.text(tenant.rawValue), .text(tenant.rawValue), .text(conversation.rawValue)]
        ).map(StoredRows.turn)
    }

    func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord] {
        try await database.query(
            """
            SELECT * FROM turns WHERE tenant_id = ? AND created_at >= ? AND rule_input IS NOT NULL
            ORDER BY created_at, message_id LIMIT ?
            """,
            [.text(tenant.rawValue), SQLValues.date(since), .integer(max(0, limit))]
        ).map(StoredRows.turn)
    }
}
