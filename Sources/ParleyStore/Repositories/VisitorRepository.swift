import Foundation
import ParleyCore

/// Stores visitors.
public protocol VisitorRepository: Sendable {
    /// Adds the visitor with its attributes, or, when it exists, records the visit: its last-seen time and visit
    /// count change, and its stored attributes stay (attributes change through `mergeAttributes` only, so that a
    /// session opened from a copy read a moment before cannot undo an identify or a rule's update).
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
