import ParleyStore

/// Tenant provisioning for command-line tools.
public enum Provisioning {
    /// What `createTenant` made: the ids and the one-time password to show the operator.
    public struct Created: Sendable {
        public let tenantID: String
        public let widgetKey: String
        public let adminEmail: String
        public let password: String
    }

    /// Creates a tenant with an enterprise admin.
    public static func createTenant(store: any ParleyStore, name: String, adminEmail: String, bcryptCost: Int)
        async throws -> Created
    {
        let provisioner = TenantProvisioner(store: store, passwords: try await PasswordHasher.make(cost: bcryptCost))
        let created = try await provisioner.create(name: name, adminEmail: adminEmail)
        return Created(
            tenantID: created.tenant.id.rawValue, widgetKey: created.tenant.widgetKey, adminEmail: created.admin.email,
            password: created.password)
    }

    /// Whether a string looks like an email address.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        TenantProvisioner.isPlausibleEmail(email)
    }
}
