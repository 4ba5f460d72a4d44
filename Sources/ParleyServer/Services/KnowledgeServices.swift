import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyKnowledge
import ParleyStore

/// Knowledge ingestion and search over the store, each tenant's with its own embedder (or none: lexical search only).
struct KnowledgeServices: Sendable {
    let ingestor: KnowledgeIngestor
    let search: HybridSearch
    /// Each tenant's embedder, and the server's.
    let embedders: TenantEmbedders
    /// Tenants whose chunks are to be embedded again with their current model.
    let reembedding: ReembeddingQueue

    /// The search mode of a tenant using the server's embedder: `hybrid`, or `lexical` when the server has none.
    var serverSearchMode: String { embedders.server == nil ? "lexical" : "hybrid" }

    /// The services over `store`, with the server's embedder as the configuration chooses it.
    static func make(
        store: any ParleyStore, configuration: ServerConfiguration, vault: ProviderKeyVault, logger: Logger
    ) throws -> KnowledgeServices {
        let embedders = TenantEmbedders(
            server: try Embedders.make(configuration, logger: logger), store: store, vault: vault,
            endpointHosts: configuration.tenantEndpointHosts)
        let reembedding = ReembeddingQueue()
        return KnowledgeServices(
            ingestor: KnowledgeIngestor(
                store: store.knowledge, embedders: embedders, staleVectors: { reembedding.schedule($0) }),
            search: HybridSearch(store: store.knowledge, embedders: embedders), embedders: embedders,
            reembedding: reembedding)
    }
}
