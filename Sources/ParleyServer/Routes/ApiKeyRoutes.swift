import Foundation
import Hummingbird
import ParleyCore
import ParleyStore

/// API keys for server-to-server calls: create (the secret is shown once), list, revoke.
enum ApiKeyRoutes {
    struct CreateRequest: Decodable {
        var name: String
        var role: String?
    }

    struct KeyView: Encodable {
        var id: String
        var name: String
        var prefix: String
        var role: String
        var createdAt: Date
        var revokedAt: Date?
        /// The user the key was made for; removing them revokes it.
        var createdBy: String?

        init(_ key: ApiKey) {
            id = key.id.rawValue
            name = key.name
            prefix = key.prefix
            role = key.role.rawValue
            createdAt = key.createdAt
            revokedAt = key.revokedAt
            createdBy = key.createdBy?.rawValue
        }

        enum CodingKeys: String, CodingKey {
            case id, name, prefix, role
            case createdAt = "created_at"
            case revokedAt = "revoked_at"
            case createdBy = "created_by"
        }
    }

    struct CreateResponse: Encodable {
        var apiKey: KeyView
        var secret: String

        enum CodingKeys: String, CodingKey {
            case secret
            case apiKey = "api_key"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(.get, "/api/api-keys", summary: "List API keys", tag: "api-keys", access: .staff(.enterpriseAdmin)) {
            request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            return try .json(try await services.store.apiKeys.list(tenant: caller.tenantID).map(KeyView.init))
        }
        api.on(
            .post, "/api/api-keys", summary: "Create an API key; the secret is returned once", tag: "api-keys",
            access: .staff(.enterpriseAdmin), body: ["name": "string", "role": "string"], required: ["name"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let body = try await JSONBody.decode(CreateRequest.self, from: request, context: context)
            let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...100).contains(name.unicodeScalars.count) else {
                throw APIError.unprocessable("name must be 1 to 100 characters")
            }
            let role =
                try body.role.map { text in
                    guard let role = Role(rawValue: text) else {
                        throw APIError.unprocessable("unknown role '\(text)'")
                    }
                    return role
                } ?? .enterpriseAdmin
            guard role <= caller.role, role != .platformAdmin else {
                throw APIError.forbidden("an API key cannot have a role above yours, nor platform_admin")
            }
            let secret = ApiKeyFormat.prefix + SecretTokens.random()
            let key = ApiKey(
                id: .generate(), tenantID: caller.tenantID, name: name, prefix: String(secret.prefix(10)), role: role,
                createdAt: Date(), revokedAt: nil, createdBy: caller.onBehalfOf)
            try await services.store.apiKeys.create(key, secretHash: SecretTokens.hash(secret))
            return try .json(CreateResponse(apiKey: .init(key), secret: secret), status: .created)
        }
        api.on(
            .delete, "/api/api-keys/:id", summary: "Revoke an API key", tag: "api-keys",
            access: .staff(.enterpriseAdmin)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            guard
                try await services.store.apiKeys.revoke(
                    ApiKeyID(context.parameters.get("id") ?? ""), tenant: caller.tenantID, at: Date())
            else { throw APIError.notFound("API key") }
            return Response(status: .noContent)
        }
    }
}
