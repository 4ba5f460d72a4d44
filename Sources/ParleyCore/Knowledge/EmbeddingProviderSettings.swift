import Foundation

/// A tenant's own OpenAI-style embeddings endpoint: where it is, which model, its vector size, and its API key
/// sealed with the server's key.
public struct EmbeddingProviderSettings: Sendable, Codable, Equatable {
    /// The wire protocol, as for chat providers: OpenAI, Azure OpenAI, or any server speaking OpenAI's embeddings API
    /// (Ollama, vLLM, TEI, LiteLLM).
    public var kind: ProviderSettings.Kind
    /// The API root, for example `https://api.openai.com/v1`; for Azure, the resource endpoint.
    public var baseURL: String
    /// The model, or the deployment name on Azure; recorded next to every vector it makes.
    public var model: String
    /// The number of elements of the model's vectors (1536 for text-embedding-3-small).
    public var dimensions: Int
    /// Azure's `api-version`.
    public var apiVersion: String?
    /// The API key sealed with AES-GCM under a key derived from the server secret, base64; never sent back.
    public var sealedAPIKey: String?

    /// The vector sizes accepted.
    public static let dimensionRange = 2...8_192

    /// Makes embedding provider settings.
    public init(
        kind: ProviderSettings.Kind, baseURL: String, model: String, dimensions: Int, apiVersion: String? = nil,
        sealedAPIKey: String? = nil
    ) {
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.dimensions = dimensions
        self.apiVersion = apiVersion
        self.sealedAPIKey = sealedAPIKey
    }

    enum CodingKeys: String, CodingKey {
        case kind, model, dimensions
        case baseURL = "base_url"
        case apiVersion = "api_version"
        case sealedAPIKey = "sealed_api_key"
    }

    /// What is wrong with the settings, one readable sentence each; empty when they are valid.
    public func problems() -> [String] {
        var problems: [String] = []
        if model.isEmpty || model.count > 200 { problems.append("model must be 1 to 200 characters") }
        if !ProviderSettings.isWebURL(baseURL) { problems.append("base_url must be an http or https URL") }
        if !Self.dimensionRange.contains(dimensions) {
            problems.append(
                "dimensions must be between \(Self.dimensionRange.lowerBound) and \(Self.dimensionRange.upperBound)")
        }
        if kind == .azure && (apiVersion ?? "").isEmpty { problems.append("api_version is required for azure") }
        return problems
    }
}
