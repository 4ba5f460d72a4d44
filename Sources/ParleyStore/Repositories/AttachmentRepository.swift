import Foundation
import ParleyCore

/// Stores visitors' attached files with the message that carries them.
public protocol AttachmentRepository: Sendable {
    /// Stores the file and its message together; nothing is stored when either fails.
    func save(_ attachment: Attachment, data: Data, message: Message) async throws
    /// The tenant's attachment with this id, and its bytes.
    func get(_ id: AttachmentID, tenant: TenantID) async throws -> (attachment: Attachment, data: Data)?
}
