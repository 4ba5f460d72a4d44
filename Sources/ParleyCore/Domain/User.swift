import Foundation

/// A staff member who signs in to the admin portal or the agent inbox.
public struct User: Sendable, Codable, Equatable {
    /// The user's identifier.
    public var id: UserID
    /// The tenant the user belongs to; platform admins belong to the platform tenant.
    public var tenantID: TenantID
    /// The sign-in email, unique across the installation and stored lowercased.
    public var email: String
    /// The user's display name.
    public var name: String
    /// What the user may do.
    public var role: Role
    /// The bcrypt hash of the user's password.
    public var passwordHash: String
    /// When the user was created.
    public var createdAt: Date

    /// Makes a user value.
    public init(
        id: UserID, tenantID: TenantID, email: String, name: String, role: Role, passwordHash: String,
        createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.email = email
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}
