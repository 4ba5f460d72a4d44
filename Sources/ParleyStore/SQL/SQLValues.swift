import Foundation
import ParleyCore

/// Conversions between domain values and column values, shared by SQLite and PostgreSQL.
enum SQLValues {
    static func date(_ date: Date) -> SQLValue { .float(date.timeIntervalSince1970) }

    static func optionalDate(_ date: Date?) -> SQLValue { date.map(Self.date) ?? .null }

    static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }

    /// The JSON text of a value that writes itself: the same text as below, without `JSONEncoder`.
    ///
    /// A NUL in one of its strings is stored as U+FFFD (`NULCharacter`): PostgreSQL's `jsonb` refuses `\u0000`.
    static func json(_ value: some JSONTextWritable) throws -> SQLValue {
        .text(NULCharacter.replacedEscapes(inJSON: try JSONTextWriter.text(of: value)))
    }

    static func json(_ value: some Encodable) throws -> SQLValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return .text(NULCharacter.replacedEscapes(inJSON: String(decoding: try encoder.encode(value), as: UTF8.self)))
    }

    /// Ends every session of a user: deletes their refresh tokens (binds: user, tenant).
    static let deleteUserSessionsSQL = "DELETE FROM refresh_tokens WHERE user_id = ? AND tenant_id = ?"

    /// The condition a conversation move adds for a holder: a conversation with an agent moves only if it is with
    /// that agent (binds: the agent).
    static let heldByCondition = " AND (state <> 'human' OR assigned_agent = ?)"

    /// Revokes the live API keys made on a user's behalf (binds: now, user, tenant).
    static let revokeCreatedKeysSQL =
        "UPDATE api_keys SET revoked_at = ? WHERE created_by = ? AND tenant_id = ? AND revoked_at IS NULL"

    /// Counts one more customer message on its conversation (`conversations.customer_messages`, the rules'
    /// `message_count`); `countCustomerMessage` gives its values.
    static let countCustomerMessageSQL =
        "UPDATE conversations SET customer_messages = customer_messages + 1 WHERE id = ? AND tenant_id = ?"

    /// The values of `countCustomerMessageSQL` for a message.
    static func countCustomerMessage(_ message: Message) -> [SQLValue] {
        [.text(message.conversationID.rawValue), .text(message.tenantID.rawValue)]
    }

    /// The stored message with a message's idempotency key in its conversation; `sameClientMessage` gives its values.
    static let sameClientMessageSQL =
        "SELECT * FROM messages WHERE tenant_id = ? AND conversation_id = ? AND client_message_id = ?"

    /// The values of `sameClientMessageSQL` for a message; nil for a message without an idempotency key.
    static func sameClientMessage(_ message: Message) -> [SQLValue]? {
        message.clientMessageID.map { clientID in
            [.text(message.tenantID.rawValue), .text(message.conversationID.rawValue), .text(clientID)]
        }
    }

    /// Saves or replaces the feedback on a message of the feedback's tenant, and on no other tenant's message, whatever
    /// its caller checked; `saveFeedbackBinds` gives its values.
    static let saveFeedbackSQL = """
        INSERT INTO feedback (message_id, tenant_id, rating, comment, created_at)
        SELECT id, tenant_id, ?, ?, ? FROM messages WHERE id = ? AND tenant_id = ?
        ON CONFLICT (message_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
            created_at = excluded.created_at
        WHERE feedback.tenant_id = excluded.tenant_id
        """

    /// The values of `saveFeedbackSQL`.
    static func saveFeedbackBinds(_ feedback: Feedback) -> [SQLValue] {
        [
            .integer(feedback.rating), text(feedback.comment), date(feedback.createdAt),
            .text(feedback.messageID.rawValue), .text(feedback.tenantID.rawValue),
        ]
    }

    /// The feedback on one conversation's messages, in the messages' order; `conversationFeedbackBinds` gives its
    /// values.
    static let conversationFeedbackSQL = """
        SELECT feedback.* FROM feedback JOIN messages ON messages.id = feedback.message_id
        WHERE messages.tenant_id = ? AND messages.conversation_id = ? AND feedback.tenant_id = ?
        ORDER BY messages.seq
        """

    /// The values of `conversationFeedbackSQL`.
    static func conversationFeedbackBinds(_ conversation: ConversationID, _ tenant: TenantID) -> [SQLValue] {
        [.text(tenant.rawValue), .text(conversation.rawValue), .text(tenant.rawValue)]
    }

    /// Inserts one message; `messageInsert` gives its values in order.
    static let messageInsertSQL = """
        INSERT INTO messages (id, tenant_id, conversation_id, role, text, client_message_id, in_reply_to, metadata,
            created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Stores a refresh token; `refreshTokenInsert` gives its values.
    static let refreshTokenInsertSQL = """
        INSERT INTO refresh_tokens (token_hash, user_id, tenant_id, family_id, expires_at, session_ends_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """

    /// The values of `refreshTokenInsertSQL` for a token.
    static func refreshTokenInsert(_ record: RefreshTokenRecord) -> [SQLValue] {
        [
            .text(record.tokenHash), .text(record.userID.rawValue), .text(record.tenantID.rawValue),
            .text(record.familyID), SQLValues.date(record.expiresAt), SQLValues.date(record.sessionEndsAt),
        ]
    }

    /// Reads whether a conversation is with an agent, and which (binds: conversation, tenant).
    static let conversationHolderSQL = "SELECT state, assigned_agent FROM conversations WHERE id = ? AND tenant_id = ?"

    /// Whether a row of `conversationHolderSQL` shows the conversation with an agent (with `holder`, with that one).
    static func isWithAgent(_ row: SQLRow?, holder: UserID?) -> Bool {
        guard let row, row.column("state")?.string == ConversationState.human.rawValue else { return false }
        return holder == nil || row.column("assigned_agent")?.string == holder?.rawValue
    }

    /// The values of `messageInsertSQL` for a message.
    static func messageInsert(_ message: Message) throws -> [SQLValue] {
        [
            .text(message.id.rawValue), .text(message.tenantID.rawValue), .text(message.conversationID.rawValue),
            .text(message.role.rawValue), .text(message.text), SQLValues.text(message.clientMessageID),
            SQLValues.text(message.inReplyTo?.rawValue), try SQLValues.json(message.metadata),
            SQLValues.date(message.createdAt),
        ]
    }

    /// Inserts one turn record; `turnInsert` gives its values in order.
    static let turnInsertSQL = """
        INSERT INTO turns (message_id, tenant_id, conversation_id, decision, decided_by, reply_id, trace, created_at,
            rule_input)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The values of `turnInsertSQL` for a turn.
    static func turnInsert(_ turn: TurnRecord) throws -> [SQLValue] {
        [
            .text(turn.messageID.rawValue), .text(turn.tenantID.rawValue), .text(turn.conversationID.rawValue),
            .text(turn.decision), SQLValues.text(turn.decidedBy), SQLValues.text(turn.replyID?.rawValue),
            try SQLValues.json(turn.trace), SQLValues.date(turn.createdAt),
            try turn.ruleInput.map(SQLValues.json) ?? .null,
        ]
    }

    /// Queues one ingestion job; `ingestionJobInsert` gives its values in order.
    static let ingestionJobInsertSQL = """
        INSERT INTO ingestion_jobs (id, tenant_id, filename, title, source_key, url, status, progress, error,
            documents, data, created_at, updated_at, attempts, max_attempts, run_after, kind)
        VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, NULL, 0, ?, ?, ?, 0, ?, ?, ?)
        """

    /// The values of `ingestionJobInsertSQL` for a job and its file.
    static func ingestionJobInsert(_ job: IngestionJob, data: Data) -> [SQLValue] {
        [
            .text(job.id.rawValue), .text(job.tenantID.rawValue), text(job.filename), text(job.title),
            text(job.sourceKey), text(job.url), .blob(Array(data)), date(job.createdAt), date(job.updatedAt),
            .integer(IngestionJob.maxAttempts), date(job.createdAt), .text(job.kind.rawValue),
        ]
    }

    /// Little-endian IEEE 754 single precision, the layout every supported platform uses natively.
    static func bytes(of vector: [Float]) -> [UInt8] {
        vector.withUnsafeBytes { Array($0) }
    }

    static func floats(_ bytes: [UInt8]) -> [Float] {
        var vector = [Float](repeating: 0, count: bytes.count / MemoryLayout<Float>.size)
        vector.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[..<target.count]))
            }
        }
        return vector
    }
}

/// A column that is missing or of the wrong type: the schema and the code disagree.
struct SQLColumnError: Error, CustomStringConvertible {
    var column: String
    var description: String { "column '\(column)' is missing or has an unexpected type" }
}

extension SQLRow {
    func string(_ column: String) throws -> String {
        guard let value = self.column(column)?.string else { throw SQLColumnError(column: column) }
        return value
    }

    func optionalString(_ column: String) -> String? {
        guard let data = self.column(column), !data.isNull else { return nil }
        return data.string
    }

    func int(_ column: String) throws -> Int {
        guard let value = self.column(column)?.integer else { throw SQLColumnError(column: column) }
        return Int(value)
    }

    func date(_ column: String) throws -> Date {
        guard let value = self.column(column)?.double else { throw SQLColumnError(column: column) }
        return Date(timeIntervalSince1970: value)
    }

    func optionalDate(_ column: String) -> Date? {
        guard let data = self.column(column), !data.isNull, let value = data.double else { return nil }
        return Date(timeIntervalSince1970: value)
    }

    func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(try string(column).utf8))
    }

    /// A JSON array of strings stored as text, read without `JSONDecoder` (a message's every turn reads some).
    func jsonStrings(_ column: String) throws -> [String] {
        guard let strings = try JSONTextReader.value(of: try string(column)).stringsValue else {
            throw SQLColumnError(column: column)
        }
        return strings
    }

    /// A JSON object stored as text, read without `JSONDecoder`.
    func jsonObject(_ column: String) throws -> [String: JSONValue] {
        guard let members = try JSONTextReader.value(of: try string(column)).objectValue else {
            throw SQLColumnError(column: column)
        }
        return members
    }

    func id<Entity>(_ column: String) throws -> Identifier<Entity> { Identifier(try string(column)) }

    func optionalID<Entity>(_ column: String) -> Identifier<Entity>? {
        optionalString(column).map { Identifier(rawValue: $0) }
    }
}
