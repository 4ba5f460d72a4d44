import Foundation

/// A server-to-server credential of a tenant; only its hash is stored.
public struct ApiKey: Sendable, Codable, Equatable {
    /// The key's identifier.
    public var id: ApiKeyID
    /// The tenant the key acts for.
    public var tenantID: TenantID
    /// A label chosen by the admin who made the key.
    public var name: String
    /// The first characters of the key, so admins can tell keys apart.
    public var prefix: String
    /// The role the key acts with.
    public var role: Role
    /// When the key was created.
    public var createdAt: Date
    /// When the key was revoked, if it was.
    public var revokedAt: Date?
    /// The user the key was made for; removing that user revokes the key.
    ///
    /// A key made with a key is made for that key's user. Nil for keys made before creators were recorded.
    public var createdBy: UserID?

    /// Makes an API key value.
    public init(
        id: ApiKeyID, tenantID: TenantID, name: String, prefix: String, role: Role, createdAt: Date,
        revokedAt: Date?, createdBy: UserID? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.prefix = prefix
        self.role = role
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.createdBy = createdBy
    }
}
