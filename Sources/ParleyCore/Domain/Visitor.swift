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
    /// Sessions so far, this one included: a widget session opened after `sessionGap` of silence counts as a visit.
    public var visits: Int

    /// Makes a visitor value.
    public init(
        id: VisitorID, tenantID: TenantID, attributes: [String: JSONValue], firstSeenAt: Date, lastSeenAt: Date,
        visits: Int = 1
    ) {
        self.id = id
        self.tenantID = tenantID
        self.attributes = attributes
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.visits = visits
    }

    /// Silence after which the next widget session counts as a new visit: 30 minutes, as web analytics count.
    public static let sessionGap: TimeInterval = 30 * 60
}
