import ParleyCore

/// Messages and feedback in PostgreSQL.
struct PostgresMessageRepository: MessageRepository {
    let database: PostgresDatabase

    func appendCustomer(_ message: Message) async throws -> AppendResult {
        let binds = try SQLValues.messageInsert(message)
        return try await database.transaction(scope: .tenant(message.tenantID)) { transaction in
            try await Self.lockConversation(message.conversationID, tenant: message.tenantID, transaction)
            return try await Self.appendCustomer(message, binds, transaction).result
        }
    }

    /// Locks the conversation's row until the transaction ends; every transaction that stores a message in a
    /// conversation takes it first.
    ///
    /// A message's `seq` is handed out when it is inserted, not when it commits: without the lock, a message
    /// inserted first could commit after one inserted later, and a reader paging by `seq` (`after:`, the widget's
    /// resync) that had seen the later one would never see the first. Under the lock a conversation's messages
    /// commit in `seq` order, as SQLite's one writer commits them.
    static func lockConversation(_ id: ConversationID, tenant: TenantID, _ transaction: PostgresTransaction)
        async throws
    {
        try await transaction.query(
            "SELECT 1 FROM conversations WHERE id = ? AND tenant_id = ? FOR UPDATE",
            [.text(id.rawValue), .text(tenant.rawValue)])
    }

    /// Stores a customer message under its idempotency key and counts it on its conversation.
    ///
    /// Returns the result and, when it was created, the conversation's customer-message count including it. The
    /// caller holds the conversation's lock (``lockConversation(_:tenant:_:)``).
    ///
    /// A concurrent insert of the same key waits for the first to commit and then finds its row.
    static func appendCustomer(_ message: Message, _ binds: [SQLValue], _ transaction: PostgresTransaction)
        async throws -> (result: AppendResult, customerMessages: Int?)
    {
        let inserted = try await transaction.query(
            SQLValues.messageInsertSQL + """
                 ON CONFLICT (tenant_id, conversation_id, client_message_id) WHERE client_message_id IS NOT NULL
                DO NOTHING RETURNING id
                """, binds)
        guard inserted.isEmpty else {
            let counted = try await transaction.query(
                SQLValues.countCustomerMessageSQL + " RETURNING customer_messages",
                SQLValues.countCustomerMessage(message))
            return (.created(message), try counted.first?.int("customer_messages"))
        }
        guard let existing = try await stored(sameAs: message, transaction) else {
            throw StoreError.conflict("the message could not be stored")
        }
        return (.duplicate(existing), nil)
    }

    /// The message stored before under `message`'s idempotency key, if any.
    static func stored(sameAs message: Message, _ transaction: PostgresTransaction) async throws -> Message? {
        guard let binds = SQLValues.sameClientMessage(message) else { return nil }
        return try await transaction.query(SQLValues.sameClientMessageSQL, binds).first.map(StoredRows.message)
    }

    func append(_ message: Message) async throws {
        let binds = try SQLValues.messageInsert(message)
        try await database.transaction(scope: .tenant(message.tenantID)) { transaction in
            try await Self.lockConversation(message.conversationID, tenant: message.tenantID, transaction)
            try await transaction.query(SQLValues.messageInsertSQL, binds)
        }
    }

    func appendWhileWithAgent(_ message: Message, holder: UserID?) async throws -> Bool {
        let binds = try SQLValues.messageInsert(message)
        return try await database.transaction(scope: .tenant(message.tenantID)) { transaction in
            // The row lock orders this with a close or hand-over of the conversation.
            let row = try await transaction.query(
                SQLValues.conversationHolderSQL + " FOR UPDATE",
                [.text(message.conversationID.rawValue), .text(message.tenantID.rawValue)]
            ).first
            guard SQLValues.isWithAgent(row, holder: holder) else { return false }
            try await transaction.query(SQLValues.messageInsertSQL, binds)
            return true
        }
    }

    func get(_ id: MessageID, tenant: TenantID) async throws -> Message? {
        try await database.query(
            "SELECT * FROM messages WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)],
            scope: .tenant(tenant)
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
        return try await database.query(sql, binds, scope: .tenant(tenant)).map(StoredRows.message)
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
        return try await database.query(sql, binds, scope: .tenant(tenant)).map(StoredRows.message).reversed()
    }

    func customerMessageCount(conversation: ConversationID, tenant: TenantID) async throws -> Int {
        let rows = try await database.query(
            "SELECT customer_messages FROM conversations WHERE id = ? AND tenant_id = ?",
            [.text(conversation.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant))
        return try rows.first?.int("customer_messages") ?? 0
    }

    func saveFeedback(_ feedback: Feedback) async throws {
        try await database.query(
            SQLValues.saveFeedbackSQL, SQLValues.saveFeedbackBinds(feedback), scope: .tenant(feedback.tenantID))
    }

    func feedback(for message: MessageID, tenant: TenantID) async throws -> Feedback? {
        try await database.query(
            "SELECT * FROM feedback WHERE message_id = ? AND tenant_id = ?",
            [.text(message.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).first.map(StoredRows.feedback)
    }

    func feedback(conversation: ConversationID, tenant: TenantID) async throws -> [Feedback] {
        try await database.query(
            SQLValues.conversationFeedbackSQL, SQLValues.conversationFeedbackBinds(conversation, tenant),
            scope: .tenant(tenant)
        ).map(StoredRows.feedback)
    }
}
