import Foundation
import Logging
import ParleyAI
import ParleyKnowledge
import ParleyStore

/// Knowledge ingestion and search over the store, sharing one embedder (or none: lexical search only).
struct KnowledgeServices: Sendable {
    let ingestor: KnowledgeIngestor
    let search: HybridSearch
    let embedder: (any EmbeddingProvider)?

    /// `hybrid`, or `lexical` when no embedding model is configured.
    var searchMode: String { embedder == nil ? "lexical" : "hybrid" }

    /// Chooses the embedder and says at startup which search runs.
    ///
    /// `remote` when given, else the built-in model in `modelDirectory`, else none (lexical search only).
    static func make(
        store: any ParleyStore, modelDirectory: String, remote: ServerConfiguration.RemoteEmbeddings? = nil,
        logger: Logger
    ) throws -> KnowledgeServices {
        var embedder: (any EmbeddingProvider)?
        if let remote {
            let endpoint: ChatEndpoint
            do {
                endpoint = try .openAICompatible(
                    baseURL: remote.baseURL, apiKey: remote.apiKey, operation: "embeddings")
            } catch {
                throw ConfigurationError("PARLEY_EMBED_URL: \(error)")
            }
            embedder = OpenAIEmbeddingProvider(endpoint: endpoint, model: remote.model, dimensions: remote.dimensions)
            logger.info("semantic search on", metadata: ["model": "\(remote.model)", "embeddings": "\(endpoint)"])
        } else if modelDirectory.isEmpty {
            logger.notice(
                """
                no embedding model configured (PARLEY_EMBED_MODEL): knowledge search is lexical only; \
                run scripts/install-model.sh for semantic search
                """)
        } else {
            do {
                embedder = try MiniLMEmbedder(directory: URL(fileURLWithPath: modelDirectory))
            } catch {
                throw ConfigurationError("PARLEY_EMBED_MODEL=\(modelDirectory) could not be loaded: \(error)")
            }
            logger.info("semantic search on", metadata: ["model": "\(embedder?.model ?? "")"])
        }
        return KnowledgeServices(
            ingestor: KnowledgeIngestor(store: store.knowledge, embedder: embedder),
            search: HybridSearch(store: store.knowledge, embedder: embedder), embedder: embedder)
    }
}
