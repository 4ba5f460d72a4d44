import Foundation

/// A file a visitor attached to a conversation: an image or a PDF, its type checked from its bytes.
public struct Attachment: Sendable, Codable, Equatable {
    public var id: AttachmentID
    public var tenantID: TenantID
    public var conversationID: ConversationID
    /// The customer message that carries it.
    public var messageID: MessageID
    /// The file name the visitor gave, cleaned for display.
    public var name: String
    /// The type its bytes show (`image/png`, `image/jpeg`, `image/gif`, `image/webp`, `application/pdf`).
    public var contentType: String
    public var size: Int
    public var createdAt: Date

    /// Makes an attachment record.
    public init(
        id: AttachmentID, tenantID: TenantID, conversationID: ConversationID, messageID: MessageID, name: String,
        contentType: String, size: Int, createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.conversationID = conversationID
        self.messageID = messageID
        self.name = name
        self.contentType = contentType
        self.size = size
        self.createdAt = createdAt
    }

    /// The type of a file from its first bytes, when it is one visitors may attach.
    public static func sniff(_ bytes: some Collection<UInt8>) -> String? {
        let head = Array(bytes.prefix(12))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<(offset + magic.count)]) == magic
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }
}
