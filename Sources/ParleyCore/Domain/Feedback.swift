import Foundation

/// A visitor's rating of one reply.
public struct Feedback: Sendable, Codable, Equatable {
    /// The rated message.
    public var messageID: MessageID
    /// The owning tenant.
    public var tenantID: TenantID
    /// `1` for helpful, `-1` for not helpful.
    public var rating: Int
    /// What the visitor wrote, if anything.
    public var comment: String?
    /// When it was given.
    public var createdAt: Date

    /// Makes a feedback value.
    public init(messageID: MessageID, tenantID: TenantID, rating: Int, comment: String?, createdAt: Date) {
        self.messageID = messageID
        self.tenantID = tenantID
        self.rating = rating
        self.comment = comment
        self.createdAt = createdAt
    }
}
