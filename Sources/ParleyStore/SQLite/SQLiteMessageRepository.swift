import ParleyCore

/// Messages and feedback in SQLite.
struct SQLiteMessageRepository: MessageRepository {
    let database: SQLiteDatabase

    func appendCustomer(_ message: Message) async throws -> AppendResult {
        let binds = try SQLValues.messageInsert(message)
        return try await database.transaction { transaction in try Self.appendCustomer(message, binds, transaction) }
    }

    /// Stores a customer message under its idempotency key and counts it on its conversation.
    static func appendCustomer(_ message: Message, _ binds: [SQLValue], _ transaction: SQLiteTransaction) throws
        -> AppendResult
    {
        // The insert either lands or meets the idempotency key. Its change count says which: a RETURNING clause
        // would make SQLite collect the row in a temporary table on every message.
        try transaction.query(
            SQLValues.messageInsertSQL + """
                 ON CONFLICT (tenant_id, conversation_id, client_message_id) WHERE client_message_id IS NOT NULL
                DO NOTHING
                """, binds)
        guard transaction.changes == 0 else {
            try transaction.query(SQLValues.countCustomerMessageSQL, SQLValues.countCustomerMessage(message))
            return .created(message)
        }
        guard let existing = try stored(sameAs: message, transaction) else {
            throw StoreError.conflict("the message could not be stored")
        }
        return .duplicate(existing)
    }

    /// The message stored before under `message`'s idempotency key, if any.
    static func stored(sameAs message: Message, _ transaction: SQLiteTransaction) throws -> Message? {
        guard let binds = SQLValues.sameClientMessage(message) else { return nil }
        return try transaction.query(SQLValues.sameClientMessageSQL, binds).first.map(StoredRows.message)
    }

    func append(_ message: Message) async throws {
        try await database.query(SQLValues.messageInsertSQL, try SQLValues.messageInsert(message))
    }

    func appendWhileWithAgent(_ message: Message, holder: UserID?) async throws -> Bool {
        let binds = try SQLValues.messageInsert(message)
        return try await database.transaction { transaction in
            let row = try transaction.query(
                SQLValues.conversationHolderSQL,
                [.text(message.conversationID.rawValue), .text(message.tenantID.rawValue)]
            ).first
            guard SQLValues.isWithAgent(row, holder: holder) else { return false }
            try transaction.query(SQLValues.messageInsertSQL, binds)
            return true
        }
    }

    func get(_ id: MessageID, tenant: TenantID) async throws -> Message? {
        try await database.query(
            "SELECT * FROM messages WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.message)
    }

    func list(conversation: ConversationID, tenant: TenantID, after: MessageID?, limit: Int) async throws -> [Message] {
        var sql = "SELECT * FROM messages WHERE tenant_id = ? AND conversation_id = ?"
        var binds: [SQLValue] = [.text(tenant.rawValue), .text(conversation.rawValue)]
        if let after {
            sql += " AND seq > (SELECT seq FROM messages WHERE id = ? AND tenant_id = ?)"
            binds += [.text(after.rawValue), .text(tenant.rawValue)]
        }
        sql += " ORDER BY seq LIMIT ?"
        binds.append(.integer(limit))
        return try await database.query(sql, binds).map(StoredRows.message)
    }

    func recent(conversation: ConversationID, tenant: TenantID, before message: MessageID?, limit: Int) async throws
        -> [Message]
    {
        var sql = "SELECT * FROM messages WHERE tenant_id = ? AND conversation_id = ?"
        var binds: [SQLValue] = [.text(tenant.rawValue), .text(conversation.rawValue)]
        if let message {
            sql += " AND seq < (SELECT seq FROM messages WHERE id = ? AND tenant_id = ?)"
            binds += [.text(message.rawValue), .text(tenant.rawValue)]
        }
        sql += " ORDER BY seq DESC LIMIT ?"
        binds.append(.integer(limit))
        return try await database.query(sql, binds).map(StoredRows.message).reversed()
    }

    func customerMessageCount(conversation: ConversationID, tenant: TenantID) async throws -> Int {
        let rows = try await database.query(
            "SELECT customer_messages FROM conversations WHERE id = ? AND tenant_id = ?",
            [.text(conversation.rawValue), .text(tenant.rawValue)])
        return try rows.first?.int("customer_messages") ?? 0
    }

    func saveFeedback(_ feedback: Feedback) async throws {
        try await database.query(SQLValues.saveFeedbackSQL, SQLValues.saveFeedbackBinds(feedback))
    }

    func feedback(for message: MessageID, tenant: TenantID) async throws -> Feedback? {
        try await database.query(
            "SELECT * FROM feedback WHERE message_id = ? AND tenant_id = ?",
            [.text(message.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.feedback)
    }

    func feedback(conversation: ConversationID, tenant: TenantID) async throws -> [Feedback] {
        try await database.query(
            SQLValues.conversationFeedbackSQL, SQLValues.conversationFeedbackBinds(conversation, tenant)
        )
        .map(StoredRows.feedback)
    }
}
