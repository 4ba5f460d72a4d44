import ParleyCore

/// Who is calling an admin route: a signed-in user or an API key, acting for one tenant with one role.
struct StaffIdentity: Sendable {
    /// The signed-in user, when the caller used an access token.
    var userID: UserID?
    /// The API key, when the caller used one.
    var apiKeyID: ApiKeyID?
    /// The tenant the call acts on: the caller's own, or for platform admins the one named by `X-Parley-Tenant`.
    var tenantID: TenantID
    /// The caller's role.
    var role: Role
    /// The user the call is made for: the signed-in user, or the user the API key was made for.
    ///
    /// Nil for keys made before creators were recorded. Keys made in this call are made for this user too.
    var onBehalfOf: UserID?
}

/// Who is calling a visitor route: one visitor of one tenant.
struct VisitorIdentity: Sendable {
    var tenantID: TenantID
    var visitorID: VisitorID
}
