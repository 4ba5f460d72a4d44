import Foundation
import Hummingbird
import ParleyAI
import ParleyCore

/// The embedding model of the tenant's knowledge: the server's, none, or the tenant's own OpenAI-style endpoint.
///
/// A change is checked against the endpoint before it is saved, then the tenant's chunks are embedded again in the
/// background; `embedded` against `chunks` shows the progress. Until it ends, semantic search sees the chunks done
/// so far and full-text search all of them.
enum EmbedderRoutes {
    struct EmbedderInput: Decodable {
        var source: String
        var kind: ProviderSettings.Kind?
        var baseURL: String?
        var model: String?
        var dimensions: Int?
        var apiVersion: String?
        /// A new key; omitted keeps the stored one if the endpoint is the same, `""` removes it.
        var apiKey: String?

        enum CodingKeys: String, CodingKey {
            case source, kind, model, dimensions
            case baseURL = "base_url"
            case apiVersion = "api_version"
            case apiKey = "api_key"
        }
    }

    struct ProviderView: Encodable {
        var kind: String
        var baseURL: String
        var model: String
        var dimensions: Int
        var apiVersion: String?
        var hasAPIKey: Bool

        enum CodingKeys: String, CodingKey {
            case kind, model, dimensions
            case baseURL = "base_url"
            case apiVersion = "api_version"
            case hasAPIKey = "has_api_key"
        }
    }

    struct EmbedderView: Encodable {
        /// `server`, `none` or `provider`.
        var source: String
        /// The model that embeds the tenant's knowledge now; nil when none does.
        var model: String?
        var dimensions: Int?
        /// `hybrid` with a model, else `lexical`.
        var search: String
        /// The tenant's own endpoint, without its key.
        var provider: ProviderView?
        /// The tenant's chunks, and how many have the current model's vectors.
        var chunks: Int
        var embedded: Int
    }

    /// The largest vectors pgvector's HNSW index takes.
    static let pgvectorIndexedDimensions = 2_000

    /// A short text embedded to check an endpoint before it is saved.
    static let probeText = "Parley checks that this embeddings endpoint answers."

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/knowledge/embedder",
            summary: "Which model embeds the tenant's knowledge, and how many chunks have its vectors",
            tag: "knowledge", access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let settings = try await services.store.assistants.get(tenant: caller.tenantID) ?? AssistantSettings()
            return try .json(try await view(settings.embedder, tenant: caller.tenantID, services: services))
        }
        api.on(
            .put, "/api/knowledge/embedder",
            summary:
                "Choose the tenant's embedding model (server, none, or its own endpoint); re-embeds in the background",
            tag: "knowledge", access: .staff(.enterpriseAdmin),
            body: [
                "source": "string", "kind": "string", "base_url": "string", "model": "string", "dimensions": "integer",
                "api_version": "string", "api_key": "string",
            ], required: ["source"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let tenant = caller.tenantID
            let input = try await JSONBody.decode(EmbedderInput.self, from: request, context: context)
            let settings = try await services.store.assistants.get(tenant: tenant) ?? AssistantSettings()
            let choice = try self.choice(input, current: settings.embedder, tenant: tenant, services: services)
            if case .provider(let provider) = choice, services.store.knowledge.vectorSearch == "pgvector",
                provider.dimensions > pgvectorIndexedDimensions
            {
                throw APIError.unprocessable(
                    "dimensions must be at most \(pgvectorIndexedDimensions) here: pgvector indexes no more")
            }
            // The probe's request goes through the tenant endpoints' address check: a private host is refused there.
            if case .provider = choice { try await probe(choice, tenant: tenant, services: services) }
            let changed = settings.embedder != choice
            // Only the embedder is written, in one step with a fresh read: the probe above may have taken seconds,
            // and the persona and chat providers may have changed meanwhile.
            _ = try await services.store.assistants.update(tenant: tenant) { $0.embedder = choice }
            await services.tenantChanges.changed(tenant)
            // Scheduled even when unchanged: saving again is how an admin retries an interrupted re-embedding.
            services.knowledge.reembedding.schedule(tenant)
            if changed {
                context.logger.info(
                    "knowledge embedder changed", metadata: ["tenant": "\(tenant)", "source": "\(choice.source)"])
            }
            return try .json(try await view(choice, tenant: tenant, services: services))
        }
    }

    /// The choice the input describes, its key sealed; a validation error when it is incomplete or invalid.
    static func choice(
        _ input: EmbedderInput, current: EmbedderChoice, tenant: TenantID, services: AppServices
    ) throws -> EmbedderChoice {
        switch input.source {
        case "server": return .server
        case "none": return .none
        case "provider":
            guard let kind = input.kind, let baseURL = input.baseURL, let model = input.model,
                let dimensions = input.dimensions
            else {
                throw APIError.unprocessable("a provider needs kind, base_url, model and dimensions")
            }
            var stored: String?
            var sameEndpoint = true
            if case .provider(let current) = current {
                stored = current.sealedAPIKey
                sameEndpoint = current.kind == kind && current.baseURL == baseURL
            }
            let sealedKey = try AssistantRoutes.sealedKey(
                input.apiKey, keeping: stored, sameEndpoint: sameEndpoint, what: "the embedding provider",
                tenant: tenant, vault: services.keyVault)
            let choice = EmbedderChoice.provider(
                EmbeddingProviderSettings(
                    kind: kind, baseURL: baseURL, model: model, dimensions: dimensions, apiVersion: input.apiVersion,
                    sealedAPIKey: sealedKey))
            let problems = choice.problems()
            guard problems.isEmpty else { throw APIError.unprocessable(problems.joined(separator: "; ")) }
            return choice
        default:
            throw APIError.unprocessable("source must be server, none or provider")
        }
    }

    /// Embeds a short text with the chosen endpoint, so that a wrong URL, key, model or vector size is refused now
    /// rather than found by the next ingestion.
    static func probe(_ choice: EmbedderChoice, tenant: TenantID, services: AppServices) async throws {
        do {
            guard
                let embedder = try await services.knowledge.embedders.make(
                    choice, tenant: tenant, timeout: .seconds(10))
            else { return }
            _ = try await embedder.embed([probeText])
        } catch ProviderError.refusedAddress(let host) {
            throw EndpointAddressCheck.refusal(host: host, field: "base_url")
        } catch let error as ProviderError {
            throw APIError(
                .unprocessableContent, "embedder_unavailable",
                "the embeddings endpoint did not answer as expected: \(reason(error))")
        } catch let error as ChatEndpoint.InvalidURL {
            throw APIError.unprocessable("base_url: \(error)")
        }
    }

    /// What went wrong with a probe, without the endpoint's own words: an admin could otherwise point `base_url` at
    /// an internal service and read its replies here.
    static func reason(_ error: ProviderError) -> String {
        switch error {
        case .http(let status, _, _): "it answered HTTP \(status)"
        case .rateLimited: "it answered HTTP 429 (rate limited)"
        case .malformedResponse(let problem): problem
        case .timeout, .deadlineExceeded, .firstTokenTimeout: "it did not answer in time"
        case .connection: "no connection could be made"
        default: "the request failed"
        }
    }

    static func view(_ choice: EmbedderChoice, tenant: TenantID, services: AppServices) async throws -> EmbedderView {
        let embedder = try await services.knowledge.embedders.make(choice, tenant: tenant)
        let coverage = try await services.store.knowledge.embeddingCoverage(
            model: embedder?.model ?? "", tenant: tenant)
        var provider: ProviderView?
        if case .provider(let settings) = choice {
            provider = ProviderView(
                kind: settings.kind.rawValue, baseURL: settings.baseURL, model: settings.model,
                dimensions: settings.dimensions, apiVersion: settings.apiVersion,
                hasAPIKey: settings.sealedAPIKey != nil)
        }
        return EmbedderView(
            source: choice.source, model: embedder?.model, dimensions: embedder?.dimensions,
            search: embedder == nil ? "lexical" : "hybrid", provider: provider, chunks: coverage.chunks,
            embedded: embedder == nil ? 0 : coverage.embedded)
    }
}
