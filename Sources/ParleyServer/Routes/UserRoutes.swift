import Foundation
import Hummingbird
import ParleyCore
import ParleyStore

/// A tenant's staff: list, invite (create with a one-time password) and remove.
enum UserRoutes {
    struct InviteRequest: Decodable {
        var email: String
        var name: String?
        var role: String
    }

    struct InviteResponse: Encodable {
        var user: Wire.UserView
        var oneTimePassword: String

        enum CodingKeys: String, CodingKey {
            case user
            case oneTimePassword = "one_time_password"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(.get, "/api/users", summary: "List the tenant's users", tag: "users", access: .staff(.agentManager)) {
            request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            return try .json(try await services.store.users.list(tenant: caller.tenantID).map(Wire.UserView.init))
        }
        api.on(
            .post, "/api/users", summary: "Invite a user: creates the account with a one-time password", tag: "users",
            access: .staff(.enterpriseAdmin), body: ["email": "string", "name": "string", "role": "string"],
            required: ["email", "role"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let body = try await JSONBody.decode(InviteRequest.self, from: request, context: context)
            guard let role = Role(rawValue: body.role) else {
                let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.unprocessable("role must be one of \(roles)")
            }
            guard role <= caller.role, role != .platformAdmin || caller.role == .platformAdmin else {
                throw APIError.forbidden("you cannot grant a role above your own")
            }
            guard TenantProvisioner.isPlausibleEmail(body.email) else {
                throw APIError.unprocessable("email is not an email address")
            }
            let password = SecretTokens.random(bytes: 12)
            let user = User(
                id: .generate(), tenantID: caller.tenantID, email: body.email.lowercased(),
                name: String((body.name ?? body.email).prefix(200)), role: role,
                passwordHash: try await services.passwords.hash(password), createdAt: Date())
            do {
                try await services.store.users.create(user)
            } catch StoreError.conflict(let message) {
                throw APIError(.conflict, "conflict", message)
            }
            return try .json(InviteResponse(user: .init(user), oneTimePassword: password), status: .created)
        }
        api.on(
            .delete, "/api/users/:id", summary: "Remove a user", tag: "users", access: .staff(.enterpriseAdmin)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let id = UserID(context.parameters.get("id") ?? "")
            // An API key acts for the user who made it: removing that user through it would be removing yourself.
            guard id != caller.userID, id != caller.onBehalfOf else {
                throw APIError(.conflict, "cannot_remove_self", "you cannot remove yourself")
            }
            // The same ceiling as inviting: nobody removes a user whose role is above their own.
            guard let target = try await services.store.users.get(id, tenant: caller.tenantID) else {
                throw APIError.notFound("user")
            }
            guard target.role <= caller.role else {
                throw APIError.forbidden("you cannot remove a user whose role is above your own")
            }
            guard try await services.store.users.delete(id, tenant: caller.tenantID) else {
                throw APIError.notFound("user")
            }
            return Response(status: .noContent)
        }
    }
}
