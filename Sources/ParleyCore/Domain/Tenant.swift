import Foundation

/// A business that uses Parley: its own visitors, knowledge, chain and staff.
public struct Tenant: Sendable, Codable, Equatable {
    /// The tenant's identifier.
    public var id: TenantID
    /// The display name, shown in the widget and the admin portal.
    public var name: String
    /// The public key the widget presents when it opens a session; not a secret.
    public var widgetKey: String
    /// Text the fallback stage answers with when the bot has nothing better.
    public var fallbackText: String
    /// When the tenant was created.
    public var createdAt: Date
    /// What the tenant's plan changes from the defaults, such as its Lua rule limits.
    public var plan: TenantPlan

    /// Makes a tenant value.
    public init(
        id: TenantID, name: String, widgetKey: String, fallbackText: String, createdAt: Date,
        plan: TenantPlan = TenantPlan()
    ) {
        self.id = id
        self.name = name
        self.widgetKey = widgetKey
        self.fallbackText = fallbackText
        self.createdAt = createdAt
        self.plan = plan
    }

    /// The fallback text a new tenant starts with.
    public static let defaultFallbackText =
        "I'm not sure I can answer that yet. Would you like me to connect you with someone from our team?"
}
