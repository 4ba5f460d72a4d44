import AsyncHTTPClient
import Crypto
import Foundation
import ParleyAI
import ParleyCore
import ParleyKnowledge
import ParleyStore

/// Each tenant's embedder: the server's, none, or the tenant's own endpoint, built from its settings and kept until
/// they change.
actor TenantEmbedders: EmbedderSource {
    /// The server's embedder (`PARLEY_EMBED_URL`, else the built-in model), nil when it has none; tenants use it
    /// unless they chose otherwise.
    nonisolated let server: (any EmbeddingProvider)?
    private let store: any ParleyStore
    private let vault: ProviderKeyVault
    private let http: any HTTPClientSource
    private var built: [TenantID: Built] = [:]
    /// Moves on every invalidation, so that a build that read settings before a change is not kept after it.
    private var epoch = 0

    private struct Built {
        let embedder: (any EmbeddingProvider)?
    }

    /// The HTTP clients of tenants' endpoints: no redirects (they could carry the key elsewhere), a refused
    /// connection fails at once (search then falls back to full text), only public addresses and the private hosts
    /// `allowance` names, and they live as long as the process.
    static func clients(allowing allowance: PrivateHostAllowance) -> AddressCheckedHTTPClients {
        .lasting(
            "embedding providers", allowing: allowance,
            configuration: ProviderTimeouts(connect: .seconds(2), read: .seconds(30)).configuration(
                retryingConnections: false))
    }

    init(
        server: (any EmbeddingProvider)?, store: any ParleyStore, vault: ProviderKeyVault,
        endpointHosts: PrivateHostAllowance
    ) {
        self.server = server
        self.store = store
        self.vault = vault
        self.http = Self.clients(allowing: endpointHosts)
    }

    func embedder(for tenant: TenantID) async throws -> (any EmbeddingProvider)? {
        if let cached = built[tenant] { return cached.embedder }
        let started = epoch
        let choice = try await choice(for: tenant)
        let embedder = try make(choice, tenant: tenant)
        if epoch == started { built[tenant] = Built(embedder: embedder) }
        return embedder
    }

    /// The tenant's stored choice: the server's embedder unless it chose another.
    nonisolated func choice(for tenant: TenantID) async throws -> EmbedderChoice {
        try await store.assistants.get(tenant: tenant)?.embedder ?? .server
    }

    /// Forgets the tenant's embedder; the next search or ingestion builds it from the stored settings.
    func invalidate(tenant: TenantID) {
        built[tenant] = nil
        epoch += 1
    }

    /// The embedder `choice` names for `tenant`, its API key opened with the server's key; a tenant's endpoint gets
    /// `timeout` per request.
    func make(_ choice: EmbedderChoice, tenant: TenantID, timeout: Duration = .seconds(30)) throws
        -> (any EmbeddingProvider)?
    {
        switch choice {
        case .server: return server
        case .none: return nil
        case .provider(let settings):
            let key = try settings.sealedAPIKey.map { try vault.open($0, tenant: tenant) }
            let endpoint: ChatEndpoint =
                switch settings.kind {
                case .azure:
                    try .azureOpenAI(
                        endpoint: settings.baseURL, deployment: settings.model,
                        apiVersion: settings.apiVersion ?? "2024-10-21", apiKey: key ?? "", operation: "embeddings")
                case .openAI, .openAICompatible:
                    try .openAICompatible(baseURL: settings.baseURL, apiKey: key, operation: "embeddings")
                }
            let provider = OpenAIEmbeddingProvider(
                endpoint: endpoint, model: settings.model, dimensions: settings.dimensions, httpClient: http,
                timeout: timeout)
            return RecordedEmbedder(base: provider, model: Self.recordedName(settings))
        }
    }

    /// The name a tenant endpoint's vectors are recorded under: the model, its size, and a short hash of the endpoint.
    static func recordedName(_ settings: EmbeddingProviderSettings) -> String {
        let endpoint = SHA256.hash(data: Data("\(settings.kind.rawValue) \(settings.baseURL)".utf8))
        let short = endpoint.prefix(4).hexString
        return "\(settings.model)@\(settings.dimensions)/\(short)"
    }
}
