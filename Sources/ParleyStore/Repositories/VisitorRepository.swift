import Foundation
import ParleyCore

/// Stores visitors.
public protocol VisitorRepository: Sendable {
    /// Adds the visitor, or updates its attributes and last-seen time when it exists.
    func save(_ visitor: Visitor) async throws
    /// The tenant's visitor with this id.
    func get(_ id: VisitorID, tenant: TenantID) async throws -> Visitor?
    /// Deletes the visitor and everything kept about them: conversations, messages, turns, ratings, proactive
    /// deliveries. Token usage stays, for billing, tied only to conversation ids. Returns how many conversations
    /// went.
    @discardableResult
    func erase(_ id: VisitorID, tenant: TenantID) async throws -> Int
}
