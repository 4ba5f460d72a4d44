import Foundation
import ParleyCore

/// Attachments in PostgreSQL: the bytes in the row, next to the message that carries them.
struct PostgresAttachmentRepository: AttachmentRepository {
    let database: PostgresDatabase

    func save(_ attachment: Attachment, data: Data, message: Message) async throws {
        let messageBinds = try SQLValues.messageInsert(message)
        let binds: [SQLValue] = [
            .text(attachment.id.rawValue), .text(attachment.tenantID.rawValue),
            .text(attachment.conversationID.rawValue), .text(attachment.messageID.rawValue), .text(attachment.name),
            .text(attachment.contentType), .integer(attachment.size), .blob(Array(data)),
            SQLValues.date(attachment.createdAt),
        ]
        try await database.transaction(scope: .tenant(attachment.tenantID)) { transaction in
            try await PostgresMessageRepository.lockConversation(
                message.conversationID, tenant: message.tenantID, transaction)
            try await transaction.query(SQLValues.messageInsertSQL, messageBinds)
            if message.role == .customer {
                try await transaction.query(SQLValues.countCustomerMessageSQL, SQLValues.countCustomerMessage(message))
            }
            try await transaction.query(
                """
                INSERT INTO attachments (id, tenant_id, conversation_id, message_id, name, content_type, size, data,
                    created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, binds)
        }
    }

    func get(_ id: AttachmentID, tenant: TenantID) async throws -> (attachment: Attachment, data: Data)? {
        guard
            let row = try await database.query(
                "SELECT * FROM attachments WHERE id = ? AND tenant_id = ?",
                [.text(id.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
            ).first
        else { return nil }
        guard case .blob(let bytes) = row.column("data") else { throw SQLColumnError(column: "data") }
        let attachment = Attachment(
            id: try row.id("id"), tenantID: try row.id("tenant_id"), conversationID: try row.id("conversation_id"),
            messageID: try row.id("message_id"), name: try row.string("name"),
            contentType: try row.string("content_type"), size: try row.int("size"),
            createdAt: try row.date("created_at"))
        return (attachment, Data(bytes))
    }
}
