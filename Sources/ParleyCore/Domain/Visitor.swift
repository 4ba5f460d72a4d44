import Foundation

/// A person chatting through the widget on a tenant's website.
public struct Visitor: Sendable, Codable, Equatable {
    /// The visitor's identifier, kept by the widget between visits.
    public var id: VisitorID
    /// The tenant whose site the visitor is on.
    public var tenantID: TenantID
    /// Attributes set by the tenant's site or by rules (plan, email, name...).
    public var attributes: [String: JSONValue]
    /// When the visitor was first seen.
    public var firstSeenAt: Date
    /// When the visitor was last seen.
    public var lastSeenAt: Date

    /// Makes a visitor value.
    public init(
        id: VisitorID, tenantID: TenantID, attributes: [String: JSONValue], firstSeenAt: Date, lastSeenAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.attributes = attributes
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
    }
}
