import Foundation
import ParleyCore

/// Finished turns in PostgreSQL.
struct PostgresTurnRepository: TurnRepository {
    let database: PostgresDatabase
    /// This replica's name on the leases it holds (one per store opened).
    let holder: String

    /// How long a lease lasts; a running turn renews it every third of that.
    static let leaseDuration = Duration.seconds(60)

    var turnLease: Duration? { Self.leaseDuration }

    /// Leases a turn to this replica until `now` plus the lease's duration (binds: message, tenant, holder,
    /// expiry).
    private static let leaseSQL =
        "INSERT INTO turn_leases (message_id, tenant_id, holder, expires_at) VALUES (?, ?, ?, ?)"

    private func leaseBinds(_ message: MessageID, tenant: TenantID, now: Date) -> [SQLValue] {
        [
            .text(message.rawValue), .text(tenant.rawValue), .text(holder),
            SQLValues.date(now.addingTimeInterval(Double(Self.leaseDuration.components.seconds))),
        ]
    }

    func claim(turn message: MessageID, tenant: TenantID, now: Date) async throws -> Bool {
        // Taken when there is no lease (a turn from before leases, or one whose holder stopped before storing it),
        // when this replica holds it, or when its holder let it run out; never once the turn is stored (`complete`
        // removes its lease in the same transaction, so a claim that lost that race must not start it again).
        !(try await database.query(
            """
            INSERT INTO turn_leases (message_id, tenant_id, holder, expires_at)
            SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM turns WHERE message_id = ? AND tenant_id = ?)
            ON CONFLICT (message_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE turn_leases.holder = excluded.holder OR turn_leases.expires_at < ?
            RETURNING message_id
            """,
            leaseBinds(message, tenant: tenant, now: now)
                + [.text(message.rawValue), .text(tenant.rawValue), SQLValues.date(now)],
            scope: .tenant(tenant)
        ).isEmpty)
    }

    func renew(turn message: MessageID, tenant: TenantID, now: Date) async throws {
        let binds = leaseBinds(message, tenant: tenant, now: now)
        try await database.query(
            "UPDATE turn_leases SET expires_at = ? WHERE message_id = ? AND tenant_id = ? AND holder = ?",
            [binds[3], binds[0], binds[1], binds[2]], scope: .tenant(tenant))
    }

    func begin(_ message: Message, visitor: VisitorID) async throws -> TurnOpening {
        let binds = try SQLValues.messageInsert(message)
        return try await database.transaction(scope: .tenant(message.tenantID)) { transaction in
            guard
                // Locked as `PostgresMessageRepository.lockConversation` locks it: a close waits for this turn's
                // message, and the conversation's messages commit in `seq` order.
                let row = try await transaction.query(
                    "SELECT * FROM conversations WHERE id = ? AND tenant_id = ? FOR UPDATE",
                    [.text(message.conversationID.rawValue), .text(message.tenantID.rawValue)]
                ).first, row.column("visitor_id")?.string == visitor.rawValue
            else { return .notFound }
            guard row.column("state")?.string != ConversationState.closed.rawValue else {
                // A message sent before the close and sent again (its answer was lost) gets its original result.
                let existing = try await PostgresMessageRepository.stored(sameAs: message, transaction)
                return existing.map(TurnOpening.duplicate) ?? .closed
            }
            let appended = try await PostgresMessageRepository.appendCustomer(message, binds, transaction)
            if case .duplicate(let existing) = appended.result { return .duplicate(existing) }
            try await transaction.query(
                Self.leaseSQL, leaseBinds(message.id, tenant: message.tenantID, now: message.createdAt))
            let visitorRow = try await transaction.query(
                "SELECT * FROM visitors WHERE id = ? AND tenant_id = ?",
                [.text(visitor.rawValue), .text(message.tenantID.rawValue)]
            ).first
            var conversation = try StoredRows.conversation(row)
            conversation.updatedAt = max(conversation.updatedAt, message.createdAt)
            return .started(
                TurnStart(
                    conversation: conversation, visitor: try visitorRow.map(StoredRows.visitor),
                    customerMessageCount: try appended.customerMessages ?? (row.int("customer_messages") + 1)))
        }
    }

    /// Merges a turn's changes into the conversation as stored now (see `TurnRepository.complete`).
    private static let mergeConversationSQL = """
        UPDATE conversations SET
            tags = (SELECT COALESCE(json_agg(value ORDER BY value), '[]')::text FROM (
                SELECT jsonb_array_elements_text(conversations.tags::jsonb) AS value
                UNION SELECT jsonb_array_elements_text(?::jsonb)) AS merged),
            bot_failures = COALESCE(?, bot_failures), updated_at = ?, sentiment_trend = COALESCE(?, sentiment_trend), recent_questions = ?,
            handoff = CASE WHEN state = 'bot' AND ? = 'queued' THEN ? ELSE handoff END,
            state = CASE WHEN state = 'bot' THEN ? ELSE state END
        WHERE id = ? AND tenant_id = ?
        """

    func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
        async throws
    {
        let replyBinds = try reply.map(SQLValues.messageInsert)
        let turnBinds = try SQLValues.turnInsert(turn)
        let storedText = turn.storedText.map { text -> [SQLValue] in
            [.text(text), .text(turn.messageID.rawValue), .text(turn.tenantID.rawValue)]
        }
        // A turn that did not begin with the bot moves no state: `bot` as the target leaves the stored state as it is.
        let target = beganIn == .bot ? conversation.state : .bot
        let mergeBinds: [SQLValue] = [
            try SQLValues.json(conversation.tags.sorted()),
            // Bot failures are the bot's count: a turn that began with an agent or in the queue leaves them as
            // stored (a hand-back meanwhile reset them).
            beganIn == .bot ? .integer(conversation.botFailures) : .null,
            SQLValues.date(conversation.updatedAt), try conversation.sentimentTrend.map(SQLValues.json) ?? .null,
            try SQLValues.json(conversation.recentQuestions), .text(target.rawValue),
            try conversation.handoff.map(SQLValues.json) ?? .null,
            .text(target.rawValue), .text(conversation.id.rawValue), .text(conversation.tenantID.rawValue),
        ]
        try await database.transaction(scope: .tenant(turn.tenantID)) { transaction in
            try await PostgresMessageRepository.lockConversation(conversation.id, tenant: turn.tenantID, transaction)
            if let replyBinds {
                try await transaction.query(SQLValues.messageInsertSQL, replyBinds)
            }
            try await transaction.query(SQLValues.turnInsertSQL, turnBinds)
            if let storedText {
                try await transaction.query("UPDATE messages SET text = ? WHERE id = ? AND tenant_id = ?", storedText)
            }
            try await transaction.query(Self.mergeConversationSQL, mergeBinds)
            try await transaction.query(
                "DELETE FROM turn_leases WHERE message_id = ? AND tenant_id = ?",
                [.text(turn.messageID.rawValue), .text(turn.tenantID.rawValue)])
        }
    }

    func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord? {
        try await database.query(
            "SELECT * FROM turns WHERE message_id = ? AND tenant_id = ?",
            [.text(message.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).first.map(StoredRows.turn)
    }

    func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord] {
        try await database.query(
            """
            SELECT * FROM turns WHERE tenant_id = ? AND message_id IN (
                SELECT id FROM messages WHERE tenant_id = ? AND conversation_id = ?)
            ORDER BY created_at, message_id
            """,
            [.text(tenant.rawValue), .text(tenant.rawValue), .text(conversation.rawValue)], scope: .tenant(tenant)
        ).map(StoredRows.turn)
    }

    func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord] {
        try await database.query(
            """
            SELECT * FROM turns WHERE tenant_id = ? AND created_at >= ? AND rule_input IS NOT NULL
            ORDER BY created_at, message_id LIMIT ?
            """,
            [.text(tenant.rawValue), SQLValues.date(since), .integer(max(0, limit))], scope: .tenant(tenant)
        ).map(StoredRows.turn)
    }
}
