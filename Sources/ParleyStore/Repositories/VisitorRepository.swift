import Foundation
import ParleyCore

/// Stores visitors.
public protocol VisitorRepository: Sendable {
    /// Adds the visitor, or updates its attributes and last-seen time when it exists.
    func save(_ visitor: Visitor) async throws
    /// Sets these attributes on the visitor as stored now, keeping its other attributes and its visits; false, and
    /// nothing stored, when the visitor is gone (erased meanwhile).
    ///
    /// A turn that ran for seconds merges what its rules set this way, instead of saving the copy it read at its
    /// start over what the page's identify call or an erasure did meanwhile.
    func mergeAttributes(_ updates: [String: JSONValue], visitor: VisitorID, tenant: TenantID) async throws -> Bool
    /// The tenant's visitor with this id.
    func get(_ id: VisitorID, tenant: TenantID) async throws -> Visitor?
    /// Deletes the visitor and everything kept about them: conversations, messages, turns, ratings, proactive
    /// deliveries. Token usage stays, for billing, tied only to conversation ids. Returns how many conversations
    /// went.
    @discardableResult
    func erase(_ id: VisitorID, tenant: TenantID) async throws -> Int
}
