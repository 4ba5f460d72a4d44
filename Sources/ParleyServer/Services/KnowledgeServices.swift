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

    /// The services over `store`, with the embedder the configuration chooses.
    static func make(store: any ParleyStore, configuration: ServerConfiguration, logger: Logger) throws
        -> KnowledgeServices
    {
        let embedder = try Embedders.make(configuration, logger: logger)
        return KnowledgeServices(
            ingestor: KnowledgeIngestor(store: store.knowledge, embedder: embedder),
            search: HybridSearch(store: store.knowledge, embedder: embedder), embedder: embedder)
    }
}
