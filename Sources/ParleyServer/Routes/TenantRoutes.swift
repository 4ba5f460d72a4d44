import Foundation
import Hummingbird
import ParleyCore
import ParleyStore

/// Tenant administration, for platform admins.
enum TenantRoutes {
    struct CreateRequest: Decodable {
        var name: String
        var adminEmail: String
        var adminName: String?

        enum CodingKeys: String, CodingKey {
            case name
            case adminEmail = "admin_email"
            case adminName = "admin_name"
        }
    }

    struct CreateResponse: Encodable {
        var tenant: Wire.TenantView
        var admin: Wire.UserView
        var oneTimePassword: String

        enum CodingKeys: String, CodingKey {
            case tenant, admin
            case oneTimePassword = "one_time_password"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .put, "/api/tenants/:id/plan",
            summary: "Set what the tenant's plan changes from the defaults (its Lua rule limits)", tag: "tenants",
            access: .staff(.platformAdmin),
            body: ["rule_instructions": "integer", "rule_memory_bytes": "integer", "rule_deadline_ms": "integer"]
        ) { request, context in
            _ = try await services.authenticator.staff(request, minimum: .platformAdmin)
            let plan = try await JSONBody.decode(TenantPlan.self, from: request, context: context)
            let problems = plan.problems()
            guard problems.isEmpty else { throw APIError.unprocessable(problems.joined(separator: "; ")) }
            let id = TenantID(context.parameters.get("id") ?? "")
            guard var tenant = try await services.store.tenants.get(id) else { throw APIError.notFound("tenant") }
            tenant.plan = plan
            guard try await services.store.tenants.update(tenant) else { throw APIError.notFound("tenant") }
            await services.tenantChanges.changed(id)
            return try .json(Wire.TenantView(tenant))
        }
        api.on(.get, "/api/tenants", summary: "List tenants", tag: "tenants", access: .staff(.platformAdmin)) {
            request, _ in
            _ = try await services.authenticator.staff(request, minimum: .platformAdmin)
            return try .json(try await services.store.tenants.list().map(Wire.TenantView.init))
        }
        api.on(
            .post, "/api/tenants", summary: "Create a tenant and its first admin", tag: "tenants",
            access: .staff(.platformAdmin), body: ["name": "string", "admin_email": "string", "admin_name": "string"],
            required: ["name", "admin_email"]
        ) { request, context in
            _ = try await services.authenticator.staff(request, minimum: .platformAdmin)
            let body = try await JSONBody.decode(CreateRequest.self, from: request, context: context)
            let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(name.unicodeScalars.count) else {
                throw APIError.unprocessable("name must be 1 to 200 characters")
            }
            guard TenantProvisioner.isPlausibleEmail(body.adminEmail) else {
                throw APIError.unprocessable("admin_email is not an email address")
            }
            let adminName = body.adminName?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (adminName?.count ?? 1) <= 200 else {
                throw APIError.unprocessable("admin_name must be at most 200 characters")
            }
            do {
                let created = try await TenantProvisioner(store: services.store, passwords: services.passwords)
                    .create(
                        name: name, adminEmail: body.adminEmail,
                        adminName: adminName?.isEmpty == false ? adminName : nil)
                return try .json(
                    CreateResponse(
                        tenant: .init(created.tenant), admin: .init(created.admin), oneTimePassword: created.password),
                    status: .created)
            } catch StoreError.conflict(let message) {
                throw APIError(.conflict, "conflict", message)
            }
        }
    }
}
