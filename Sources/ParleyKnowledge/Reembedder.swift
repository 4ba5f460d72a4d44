import ParleyAI
import ParleyCore
import ParleyStore

/// Brings a tenant's chunks to the embedder's model.
///
/// Chunks stored without a vector (before a model was configured) or with another model's are embedded again, a
/// batch at a time, so that changing the model keeps semantic search whole. Lexical search serves every chunk
/// meanwhile.
public struct Reembedder: Sendable {
    private let store: any KnowledgeRepository
    private let embedder: any EmbeddingProvider

    /// Chunks embedded per step.
    public static let batchSize = 32

    /// Makes a re-embedder for `embedder`'s model.
    public init(store: any KnowledgeRepository, embedder: any EmbeddingProvider) {
        self.store = store
        self.embedder = embedder
    }

    /// A step that changed nothing: the store did not take the vectors.
    public struct Stalled: Error, CustomStringConvertible {
        public var description: String { "re-embedding made no progress" }
    }

    /// Embeds every chunk of the tenant that lacks the model's vector; how many.
    ///
    /// `progress` hears the count so far.
    public func run(tenant: TenantID, progress: (@Sendable (Int) async -> Void)? = nil) async throws -> Int {
        var done = 0
        var previous: String?
        while true {
            try Task.checkCancellation()
            let chunks = try await store.chunksToEmbed(model: embedder.model, tenant: tenant, limit: Self.batchSize)
            guard let first = chunks.first else { return done }
            if first.id == previous { throw Stalled() }
            previous = first.id
            let vectors = try await embedder.embed(
                chunks.map {
                    KnowledgeIngestor.embeddingText(title: $0.title, headingPath: $0.headingPath, text: $0.text)
                })
            guard vectors.count == chunks.count else { throw Stalled() }
            try await store.replaceEmbeddings(
                zip(chunks, vectors).map { StoredEmbedding(chunkID: $0.id, vector: $1) }, model: embedder.model,
                tenant: tenant)
            done += chunks.count
            await progress?(done)
        }
    }
}
