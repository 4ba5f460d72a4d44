import Foundation
import ParleyCore
import ParleyRules
import ParleyStore

/// Creates a tenant with its first admin; used by the API, the CLI and the demo seed.
struct TenantProvisioner: Sendable {
    let store: any ParleyStore
    let passwords: PasswordHasher

    /// A new tenant, its admin, and the admin's one-time password (shown once, stored only as a hash).
    struct Provisioned: Sendable {
        var tenant: Tenant
        var admin: User
        var password: String
    }

    func create(
        name: String, adminEmail: String, adminName: String? = nil, role: Role = .enterpriseAdmin,
        widgetKey: String? = nil, password: String? = nil
    ) async throws -> Provisioned {
        let now = Date()
        let tenant = Tenant(
            id: .generate(), name: name, widgetKey: widgetKey ?? "wk_" + SecretTokens.random(bytes: 12),
            fallbackText: Tenant.defaultFallbackText, createdAt: now)
        let password = password ?? SecretTokens.random(bytes: 12)
        let admin = User(
            id: .generate(), tenantID: tenant.id, email: adminEmail.lowercased(), name: adminName ?? "Admin",
            role: role,
            passwordHash: try await passwords.hash(password), createdAt: now)
        if try await store.users.find(email: admin.email) != nil {
            throw StoreError.conflict("a user with this email exists")
        }
        try await store.tenants.create(tenant)
        do {
            try await store.users.create(admin)
            try await installDefaultRules(tenant: tenant.id)
        } catch {
            // All or nothing: a tenant without its admin (another request took the email meanwhile) or without its
            // rules would keep a live widget key nobody can manage.
            _ = try? await store.tenants.delete(tenant.id)
            throw error
        }
        return Provisioned(tenant: tenant, admin: admin, password: password)
    }

    /// Saves and activates the shipped default rules (`rules/default/`) for a new tenant.
    func installDefaultRules(tenant: TenantID) async throws {
        for rule in DefaultRules.all {
            let saved = try await store.rules.save(
                name: rule.name.rawValue, source: rule.source, fixtures: rule.fixtures, tenant: tenant, by: nil)
            _ = try await store.rules.activate(name: saved.name, version: saved.version, tenant: tenant)
        }
    }

    /// The longest address an account can have (RFC 5321's path limit, less its angle brackets).
    static let maxEmailCharacters = 254

    /// Whether a string looks like an email address (one `@`, something on each side, a dot in the domain).
    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && email.unicodeScalars.count <= maxEmailCharacters
            && !email.contains(where: \.isWhitespace)
    }
}
