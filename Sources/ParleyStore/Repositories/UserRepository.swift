import ParleyCore

/// Stores admin-side users.
public protocol UserRepository: Sendable {
    /// Adds a user; throws `StoreError.conflict` when the email is taken.
    func create(_ user: User) async throws
    /// The user with this sign-in email (any tenant), for sign-in only.
    func find(email: String) async throws -> User?
    /// The user with this id in this tenant.
    func get(_ id: UserID, tenant: TenantID) async throws -> User?
    /// The tenant's users, oldest first.
    func list(tenant: TenantID) async throws -> [User]
    /// Removes the user and, in the same transaction, revokes every API key made on their behalf; false when there
    /// is no such user.
    func delete(_ id: UserID, tenant: TenantID) async throws -> Bool
    /// Replaces the user's password hash and ends every session they have (their refresh tokens are deleted) in
    /// one transaction; false when there is no such user.
    func setPassword(_ id: UserID, tenant: TenantID, hash: String) async throws -> Bool
}
