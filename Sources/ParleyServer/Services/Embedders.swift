import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyStore

/// The embedder a configuration chooses, for the server and for `parley ingest` alike, so that one knowledge base
/// never mixes two models' vectors.
public enum Embedders {
    /// `PARLEY_EMBED_URL`'s endpoint when set, else the built-in model in `PARLEY_EMBED_MODEL`, else none (lexical
    /// search only); says which on the log.
    public static func make(_ configuration: ServerConfiguration, logger: Logger) throws -> (any EmbeddingProvider)? {
        if let remote = configuration.remoteEmbeddings {
            let endpoint: ChatEndpoint
            do {
                endpoint = try .openAICompatible(
                    baseURL: remote.baseURL, apiKey: remote.apiKey, operation: "embeddings")
            } catch {
                throw ConfigurationError("PARLEY_EMBED_URL: \(error)")
            }
            // The URL's query could carry a key for some gateways: only the model is logged.
            logger.info("semantic search on", metadata: ["model": "\(remote.model)", "embeddings": "remote"])
            return OpenAIEmbeddingProvider(endpoint: endpoint, model: remote.model, dimensions: remote.dimensions)
        }
        let directory = configuration.embeddingModelDirectory
        guard !directory.isEmpty else {
            logger.notice(
                """
                no embedding model configured (PARLEY_EMBED_MODEL): knowledge search is lexical only; \
                run parley models pull (or scripts/install-model.sh) for semantic search
                """)
            return nil
        }
        do {
            let embedder = try MiniLMEmbedder(directory: URL(fileURLWithPath: directory))
            logger.info("semantic search on", metadata: ["model": "\(embedder.model)"])
            return embedder
        } catch {
            throw ConfigurationError("PARLEY_EMBED_MODEL=\(directory) could not be loaded: \(error)")
        }
    }

    /// The embedder of `tenant`'s knowledge, as the server would use it: the tenant's own choice, else the server's.
    public static func forTenant(
        _ tenant: TenantID, store: any ParleyStore, configuration: ServerConfiguration, logger: Logger
    ) async throws -> (any EmbeddingProvider)? {
        let server = try make(configuration, logger: logger)
        let stored = try await store.assistants.get(tenant: tenant)?.embedder ?? .server
        guard case .provider = stored else { return stored == .none ? nil : server }
        // Only a tenant's own endpoint needs the server's key, to open its API key.
        let embedders = TenantEmbedders(
            server: server, store: store, vault: ProviderKeyVault(secret: try SecretKey.resolve(configuration)),
            endpointHosts: configuration.tenantEndpointHosts)
        return try await embedders.embedder(for: tenant)
    }
}
