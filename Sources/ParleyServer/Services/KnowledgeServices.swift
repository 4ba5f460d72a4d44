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

    /// Loads the embedding model from `modelDirectory` (empty: none) and says at startup which search runs.
    static func make(store: any ParleyStore, modelDirectory: String, logger: Logger) throws -> KnowledgeServices {
        var embedder: (any EmbeddingProvider)?
        if modelDirectory.isEmpty {
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
