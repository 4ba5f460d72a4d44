import Foundation
import Hummingbird
import ParleyCore

/// The tenant's AI agent: its persona and the model providers it calls, API keys sealed and never shown again.
enum AssistantRoutes {
    struct ProviderInput: Decodable {
        var name: String
        var kind: ProviderSettings.Kind
        var baseURL: String
        var model: String
        var apiVersion: String?
        /// A new key; omitted keeps the key stored under this provider name, `""` removes it.
        var apiKey: String?
        var firstTokenMilliseconds: Int?
        var systemRole: Bool?

        enum CodingKeys: String, CodingKey {
            case name, kind, model
            case baseURL = "base_url"
            case apiVersion = "api_version"
            case apiKey = "api_key"
            case firstTokenMilliseconds = "first_token_ms"
            case systemRole = "system_role"
        }
    }

    struct SettingsInput: Decodable {
        var persona: Persona?
        var providers: [ProviderInput]?
    }

    struct ProviderView: Encodable {
        var name: String
        var kind: String
        var baseURL: String
        var model: String
        var apiVersion: String?
        var hasAPIKey: Bool
        var firstTokenMilliseconds: Int?
        var systemRole: Bool

        init(_ provider: ProviderSettings) {
            firstTokenMilliseconds = provider.firstTokenMilliseconds
            systemRole = provider.systemRole ?? true
            name = provider.name
            kind = provider.kind.rawValue
            baseURL = provider.baseURL
            model = provider.model
            apiVersion = provider.apiVersion
            hasAPIKey = provider.sealedAPIKey != nil
        }

        enum CodingKeys: String, CodingKey {
            case name, kind, model
            case baseURL = "base_url"
            case apiVersion = "api_version"
            case hasAPIKey = "has_api_key"
            case firstTokenMilliseconds = "first_token_ms"
            case systemRole = "system_role"
        }
    }

    struct SettingsView: Encodable {
        var persona: Persona
        var providers: [ProviderView]
        /// `extractive` with no provider (offline answers quoted from the knowledge base), else `model`.
        var answering: String

        init(_ settings: AssistantSettings) {
            persona = settings.persona
            providers = settings.providers.map(ProviderView.init)
            answering = settings.providers.isEmpty ? "extractive" : "model"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/assistant", summary: "The tenant's persona and model providers (API keys are never shown)",
            tag: "assistant", access: .staff(.agentManager)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let settings = try await services.store.assistants.get(tenant: caller.tenantID) ?? AssistantSettings()
            return try .json(SettingsView(settings))
        }
        api.on(
            .put, "/api/assistant",
            summary: "Replace the persona and the ordered provider list; keys are sealed at rest", tag: "assistant",
            access: .staff(.enterpriseAdmin), body: ["persona": "object", "providers": "array"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let input = try await JSONBody.decode(SettingsInput.self, from: request, context: context)
            let tenant = caller.tenantID
            let clients = TenantAnswerers.clients(allowing: services.configuration.tenantEndpointHosts)
            for (index, provider) in (input.providers ?? []).enumerated() {
                try await EndpointAddressCheck.require(
                    provider.baseURL, field: "providers[\(index)].base_url", clients: clients)
            }
            let vault = services.keyVault
            // Read and written in one step: an embedder change or another admin's edit at the same time stays.
            let settings = try await services.store.assistants.update(tenant: tenant) { settings in
                let current = settings
                if let persona = input.persona { settings.persona = persona }
                if let providers = input.providers {
                    settings.providers = try providers.map { provider in
                        try sealed(provider, keeping: current, tenant: tenant, vault: vault)
                    }
                }
                let problems = settings.problems()
                guard problems.isEmpty else { throw APIError.unprocessable(problems.joined(separator: "; ")) }
            }
            await services.tenantChanges.changed(caller.tenantID)
            context.logger.info(
                "assistant settings replaced",
                metadata: ["tenant": "\(caller.tenantID)", "providers": "\(settings.providers.count)"])
            return try .json(SettingsView(settings))
        }
    }

    /// The provider as stored: a given key sealed, an omitted one kept from the current provider of that name.
    ///
    /// A key is kept only for the endpoint it was given for: a provider whose kind or `base_url` changes must be sent
    /// its key again, or an admin could point a stored key at a host of their choosing without ever knowing it.
    static func sealed(
        _ input: ProviderInput, keeping current: AssistantSettings, tenant: TenantID, vault: ProviderKeyVault
    ) throws -> ProviderSettings {
        let previous = current.providers.first { $0.name == input.name }
        let sealedKey = try sealedKey(
            input.apiKey, keeping: previous?.sealedAPIKey,
            sameEndpoint: previous.map { $0.kind == input.kind && $0.baseURL == input.baseURL } ?? true,
            what: "provider '\(input.name)'", tenant: tenant, vault: vault)
        return ProviderSettings(
            name: input.name, kind: input.kind, baseURL: input.baseURL, model: input.model,
            apiVersion: input.apiVersion, sealedAPIKey: sealedKey, firstTokenMilliseconds: input.firstTokenMilliseconds,
            systemRole: input.systemRole)
    }

    /// A provider's key as stored: `given` sealed, `""` removed, nil keeping `stored`; a validation error when too long,
    /// or when it is omitted while a stored key would move to another endpoint (`sameEndpoint` false).
    static func sealedKey(
        _ given: String?, keeping stored: String?, sameEndpoint: Bool, what: String, tenant: TenantID,
        vault: ProviderKeyVault
    ) throws -> String? {
        guard let key = given else {
            guard stored == nil || sameEndpoint else {
                throw APIError.unprocessable(
                    "\(what) has a new kind or base_url: send its api_key again (\"\" for none); a stored key stays "
                        + "with the endpoint it was given for")
            }
            return stored
        }
        guard key.utf8.count <= 4_096 else { throw APIError.unprocessable("api_key is too long") }
        return key.isEmpty ? nil : try vault.seal(key, tenant: tenant)
    }
}
