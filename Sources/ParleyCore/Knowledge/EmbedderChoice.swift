/// Which embedding model makes a tenant's knowledge vectors, and so reads its visitors' questions.
///
/// Stored as `{"source": "server"}`, `{"source": "none"}` or `{"source": "provider", ...}` with the provider's
/// settings beside `source`.
public enum EmbedderChoice: Sendable, Equatable, Codable {
    /// The server's own embedder: `PARLEY_EMBED_URL`, else the built-in model, else none.
    case server
    /// No embeddings: the tenant's knowledge is searched by its words only.
    case none
    /// The tenant's own OpenAI-style embeddings endpoint.
    case provider(EmbeddingProviderSettings)

    /// The choice's name on the wire: `server`, `none` or `provider`.
    public var source: String {
        switch self {
        case .server: "server"
        case .none: "none"
        case .provider: "provider"
        }
    }

    enum CodingKeys: String, CodingKey {
        case source
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .source) {
        case "server": self = .server
        case "none": self = .none
        case "provider": self = .provider(try EmbeddingProviderSettings(from: decoder))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .source, in: container, debugDescription: "unknown embedder source \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        if case .provider(let settings) = self { try settings.encode(to: encoder) }
    }

    /// What is wrong with the choice, one readable sentence each; empty when it is valid.
    public func problems() -> [String] {
        if case .provider(let settings) = self { return settings.problems() }
        return []
    }
}
