import AsyncHTTPClient
import Logging
import ParleyAI
import ParleyCore
import ParleyStore

/// Each tenant's model-backed answer generator, built from its assistant settings and kept until they change.
///
/// A tenant's providers are tried in order; each gets a first-token limit, a circuit breaker (kept across
/// rebuilds, so a settings change does not forget a failing endpoint) and retries, and the whole answer gets
/// `deadline` (longer when a provider is allowed a longer first token): when every provider fails, the turn still
/// ends in time with a handoff offer.
actor TenantAnswerers {
    private let store: any ParleyStore
    private let vault: ProviderKeyVault
    private let http: any HTTPClientSource
    private let logger: Logger
    private var generators: [TenantID: ModelAnswerGenerator?] = [:]
    /// How often each tenant's settings changed: a build that read them before a change is not kept.
    private var changes: [TenantID: Int] = [:]
    private var breakers: [String: CircuitBreaker] = [:]
    private var builds = 0
    /// Answers to repeated first questions, shared by all tenants' generators.
    let cache = AnswerCache()

    /// The time to the first token of an answer, all providers and retries included.
    static let deadline = Duration.seconds(3)
    /// Each provider's first-token limit, so a slow one leaves time for the next.
    static let firstToken = Duration.seconds(2)

    /// The HTTP clients of tenants' model providers: no redirects (one could carry the API key, Azure's `api-key`
    /// header included, to another host), only public addresses and the private hosts `allowance` names, and they
    /// live as long as the process.
    static func clients(allowing allowance: PrivateHostAllowance) -> AddressCheckedHTTPClients {
        .lasting("chat providers", allowing: allowance, configuration: ProviderTimeouts().configuration())
    }

    init(
        store: any ParleyStore, vault: ProviderKeyVault, endpointHosts: PrivateHostAllowance, logger: Logger
    ) {
        self.store = store
        self.vault = vault
        self.http = Self.clients(allowing: endpointHosts)
        self.logger = logger
    }

    /// The tenant's generator, or nil when it has no provider (answers are then extractive).
    func generator(tenant: TenantID) async throws -> (any AnswerGenerating)? {
        try await model(tenant: tenant)
    }

    /// The tenant's model-backed generator, or nil when it has no provider.
    func model(tenant: TenantID) async throws -> ModelAnswerGenerator? {
        if let cached = generators[tenant] { return cached }
        let seen = changes[tenant, default: 0]
        let settings = try await store.assistants.get(tenant: tenant) ?? AssistantSettings()
        let generator: ModelAnswerGenerator?
        do {
            generator = try make(settings, tenant: tenant)
        } catch {
            // A stored key that no longer opens (the server's secret changed) or a provider that cannot be set up:
            // the tenant's turns still end, with extractive answers, until its settings change.
            logger.error(
                "the tenant's model providers could not be set up; answering from the knowledge base",
                metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            generator = nil
        }
        // Settings that changed while they were read (an actor gives way at every await) are read again next time.
        if changes[tenant, default: 0] == seen { generators[tenant] = generator }
        return generator
    }

    /// Forgets the tenant's generator; the next turn builds it from the stored settings.
    func invalidate(tenant: TenantID) {
        generators[tenant] = nil
        changes[tenant, default: 0] += 1
    }

    /// The provider's first-token limit: its own, or the default.
    static func firstToken(_ provider: ProviderSettings) -> Duration {
        provider.firstTokenMilliseconds.map { .milliseconds($0) } ?? firstToken
    }

    private func make(_ settings: AssistantSettings, tenant: TenantID) throws -> ModelAnswerGenerator? {
        guard !settings.providers.isEmpty else { return nil }
        let chain = try settings.providers.map { provider -> any ChatProvider in
            let key = try provider.sealedAPIKey.map { try vault.open($0, tenant: tenant) }
            var base: any ChatProvider
            switch provider.kind {
            case .azure:
                base = try AzureOpenAIProvider(
                    name: provider.name, endpoint: provider.baseURL, deployment: provider.model,
                    apiVersion: provider.apiVersion ?? "2024-10-21", apiKey: key ?? "", httpClient: http,
                    logger: logger)
            case .openAI, .openAICompatible:
                base = try OpenAICompatibleProvider(
                    name: provider.name, baseURL: provider.baseURL, apiKey: key, defaultModel: provider.model,
                    httpClient: http, logger: logger)
            }
            if provider.systemRole == false { base = base.foldingSystemMessages() }
            let breakerKey = "\(tenant)|\(provider.name)|\(provider.baseURL)|\(provider.model)"
            let breaker = breakers[breakerKey] ?? CircuitBreaker(name: provider.name)
            breakers[breakerKey] = breaker
            return base.firstTokenTimeout(Self.firstToken(provider)).guarded(by: breaker).retrying()
        }
        let longest = settings.providers.map(Self.firstToken).max() ?? Self.firstToken
        let deadline = max(Self.deadline, longest + .seconds(1))
        builds += 1
        return ModelAnswerGenerator(
            provider: FallbackChatProvider(chain).deadline(deadline), persona: settings.persona, store: store,
            cache: cache, settingsGeneration: builds)
    }
}
