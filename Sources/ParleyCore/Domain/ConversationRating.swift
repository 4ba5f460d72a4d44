import Foundation

/// A visitor's rating of a whole conversation (the CSAT prompt shown when it closes).
public struct ConversationRating: Sendable, Codable, Equatable {
    /// The rated conversation.
    public var conversationID: ConversationID
    /// The owning tenant.
    public var tenantID: TenantID
    /// From 1 (very unsatisfied) to 5 (very satisfied).
    public var rating: Int
    /// What the visitor wrote, if anything.
    public var comment: String?
    /// When it was given.
    public var createdAt: Date

    /// Makes a rating.
    public init(conversationID: ConversationID, tenantID: TenantID, rating: Int, comment: String?, createdAt: Date) {
        self.conversationID = conversationID
        self.tenantID = tenantID
        self.rating = rating
        self.comment = comment
        self.createdAt = createdAt
    }
}
