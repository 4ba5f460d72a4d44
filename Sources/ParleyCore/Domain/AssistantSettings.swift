import Foundation

/// How a tenant's AI agent speaks, which chat models it may call (in fallback order), and which model embeds its
/// knowledge.
///
/// With no provider the agent answers offline: extractive answers quoted from the knowledge base, with citations.
public struct AssistantSettings: Sendable, Codable, Equatable {
    public var persona: Persona
    /// Chat-completion providers, tried in this order.
    public var providers: [ProviderSettings]
    /// The embedding model of the tenant's knowledge; the server's unless the tenant chose otherwise.
    public var embedder: EmbedderChoice

    /// Makes settings.
    public init(persona: Persona = Persona(), providers: [ProviderSettings] = [], embedder: EmbedderChoice = .server) {
        self.persona = persona
        self.providers = providers
        self.embedder = embedder
    }

    enum CodingKeys: String, CodingKey {
        case persona, providers, embedder
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        persona = try container.decodeIfPresent(Persona.self, forKey: .persona) ?? Persona()
        providers = try container.decodeIfPresent([ProviderSettings].self, forKey: .providers) ?? []
        // Settings stored before tenants could choose an embedder use the server's.
        embedder = try container.decodeIfPresent(EmbedderChoice.self, forKey: .embedder) ?? .server
    }

    /// Most providers in a fallback list.
    public static let maxProviders = 4

    /// What is wrong with the settings, one readable sentence each; empty when they are valid.
    public func problems() -> [String] {
        var problems = persona.problems()
        if providers.count > Self.maxProviders { problems.append("at most \(Self.maxProviders) providers") }
        if Set(providers.map(\.name)).count != providers.count { problems.append("provider names must be unique") }
        for provider in providers { problems += provider.problems().map { "provider \(provider.name): \($0)" } }
        problems += embedder.problems().map { "embedder: \($0)" }
        return problems
    }
}

/// The agent's voice and scope, used to build the model's instructions.
public struct Persona: Sendable, Codable, Equatable {
    /// The company the agent speaks for.
    public var companyName: String
    /// For example "friendly and concise".
    public var tone: String
    /// A sentence or two about who the agent is.
    public var personality: String
    /// Topics the agent may talk about; empty means anything the knowledge base covers.
    public var allowedTopics: [String]

    /// Makes a persona.
    public init(
        companyName: String = "", tone: String = "friendly and concise", personality: String = "",
        allowedTopics: [String] = []
    ) {
        self.companyName = companyName
        self.tone = tone
        self.personality = personality
        self.allowedTopics = allowedTopics
    }

    enum CodingKeys: String, CodingKey {
        case tone, personality
        case companyName = "company_name"
        case allowedTopics = "allowed_topics"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Persona()
        companyName = try container.decodeIfPresent(String.self, forKey: .companyName) ?? defaults.companyName
        tone = try container.decodeIfPresent(String.self, forKey: .tone) ?? defaults.tone
        personality = try container.decodeIfPresent(String.self, forKey: .personality) ?? defaults.personality
        allowedTopics = try container.decodeIfPresent([String].self, forKey: .allowedTopics) ?? defaults.allowedTopics
    }

    func problems() -> [String] {
        var problems: [String] = []
        if companyName.count > 200 { problems.append("company_name must be at most 200 characters") }
        if tone.count > 200 { problems.append("tone must be at most 200 characters") }
        if personality.count > 2_000 { problems.append("personality must be at most 2000 characters") }
        if allowedTopics.count > 50 || allowedTopics.contains(where: { $0.count > 100 }) {
            problems.append("allowed_topics takes at most 50 topics of at most 100 characters")
        }
        return problems
    }
}

/// One chat-completion provider: where it is, which model, and its API key sealed with the server's key.
public struct ProviderSettings: Sendable, Codable, Equatable {
    /// The wire protocol.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// api.openai.com.
        case openAI = "openai"
        /// An Azure OpenAI deployment (`api-key` header, `api-version`).
        case azure
        /// Any server speaking OpenAI's chat completions (vLLM, llama.cpp, Ollama, LiteLLM).
        case openAICompatible = "openai_compatible"
    }

    public var name: String
    public var kind: Kind
    /// The API root, for example `https://api.openai.com/v1`; for Azure, the resource endpoint.
    public var baseURL: String
    /// The model, or the deployment name on Azure.
    public var model: String
    /// Azure's `api-version`.
    public var apiVersion: String?
    /// The API key sealed with AES-GCM under a key derived from the server secret, base64; never sent back.
    public var sealedAPIKey: String?
    /// How long the provider may take to its first token, in milliseconds (nil: the server's default, 2 s).
    ///
    /// A model on a CPU reads a long prompt slowly, so a local server may need more.
    public var firstTokenMilliseconds: Int?
    /// Whether the model takes system messages (nil: it does).
    ///
    /// False folds the instructions into the first user message: Gemma's templates, for one, drop system messages.
    public var systemRole: Bool?

    /// The longest first-token limit a provider may have.
    public static let maxFirstTokenMilliseconds = 30_000

    /// Makes provider settings.
    public init(
        name: String, kind: Kind, baseURL: String, model: String, apiVersion: String? = nil,
        sealedAPIKey: String? = nil, firstTokenMilliseconds: Int? = nil, systemRole: Bool? = nil
    ) {
        self.systemRole = systemRole
        self.firstTokenMilliseconds = firstTokenMilliseconds
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.apiVersion = apiVersion
        self.sealedAPIKey = sealedAPIKey
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, model
        case baseURL = "base_url"
        case apiVersion = "api_version"
        case sealedAPIKey = "sealed_api_key"
        case firstTokenMilliseconds = "first_token_ms"
        case systemRole = "system_role"
    }

    func problems() -> [String] {
        var problems: [String] = []
        if name.isEmpty || name.count > 64 { problems.append("name must be 1 to 64 characters") }
        if model.isEmpty || model.count > 200 { problems.append("model must be 1 to 200 characters") }
        if !Self.isWebURL(baseURL) { problems.append("base_url must be an http or https URL") }
        if kind == .azure && (apiVersion ?? "").isEmpty { problems.append("api_version is required for azure") }
        if let limit = firstTokenMilliseconds, !(100...Self.maxFirstTokenMilliseconds).contains(limit) {
            problems.append("first_token_ms must be between 100 and \(Self.maxFirstTokenMilliseconds)")
        }
        return problems
    }

    /// Whether `text` is an absolute http or https URL with a host.
    static func isWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return ["http", "https"].contains(scheme) && url.host() != nil
    }
}
