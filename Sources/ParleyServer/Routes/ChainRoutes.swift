import Foundation
import Hummingbird
import ParleyCore

/// The tenant's chain: read it, replace it (validated as a whole), roll it back, list versions and stages.
enum ChainRoutes {
    struct StageView: Encodable {
        var id: String
        var version: String
        var description: String
        var builtIn: Bool
        var placement: Placement
        var settingsSchema: JSONValue
        var defaultSettings: [String: JSONValue]

        init(_ stage: RegisteredStage) {
            id = stage.manifest.id
            version = stage.manifest.version
            description = stage.manifest.description
            builtIn = stage.manifest.isBuiltIn
            placement = stage.manifest.placement
            settingsSchema = stage.settingsSchema
            defaultSettings = stage.defaultSettings
        }

        enum CodingKeys: String, CodingKey {
            case id, version, description, placement
            case builtIn = "built_in"
            case settingsSchema = "settings_schema"
            case defaultSettings = "default_settings"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(.get, "/api/chain", summary: "The tenant's active chain", tag: "chain", access: .staff(.analyst)) {
            request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json(Wire.ChainView(try await services.chains.active(tenant: caller.tenantID).version))
        }
        api.on(
            .put, "/api/chain", summary: "Replace the chain; validated as a whole, swapped in atomically", tag: "chain",
            access: .staff(.enterpriseAdmin), body: ["stages": "array"], required: ["stages"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let config = try await JSONBody.decode(ChainConfig.self, from: request, context: context)
            guard config.stages.count <= 64 else { throw APIError.unprocessable("a chain has at most 64 stages") }
            do {
                let version = try await services.chains.activate(config, tenant: caller.tenantID, by: caller.userID)
                services.tenantChanges.announce(caller.tenantID)
                return try .json(Wire.ChainView(version))
            } catch let error as ChainValidationError {
                var apiError = APIError(.unprocessableContent, "invalid_chain", error.description)
                apiError.details = JSONDetails(
                    value: [
                        "problems": error.problems.map { problem in
                            [
                                "index": problem.index as Any, "stage": problem.stage as Any,
                                "message": problem.message,
                            ]
                        }
                    ])
                throw apiError
            }
        }
        api.on(
            .post, "/api/chain/rollback", summary: "Restore the chain that was active before the current one",
            tag: "chain", access: .staff(.enterpriseAdmin)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            guard let version = try await services.chains.rollback(tenant: caller.tenantID) else {
                throw APIError(.conflict, "no_previous_version", "there is no earlier chain version to restore")
            }
            services.tenantChanges.announce(caller.tenantID)
            return try .json(Wire.ChainView(version))
        }
        api.on(
            .get, "/api/chain/versions", summary: "Every stored chain version, newest first", tag: "chain",
            access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json(try await services.store.chains.versions(tenant: caller.tenantID).map(Wire.ChainView.init))
        }
        api.on(
            .get, "/api/stages", summary: "Every registered stage with its settings schema", tag: "chain",
            access: .staff(.analyst)
        ) { request, _ in
            _ = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json(services.chains.registry.stages.map(StageView.init))
        }
    }
}
