import ParleyAI
import ParleyCore

/// The same embedder, or none, for every tenant: for evaluations and tools that work on one knowledge base.
public struct SingleEmbedder: EmbedderSource {
    /// The embedder; nil means lexical search only.
    public let embedder: (any EmbeddingProvider)?

    /// Makes a source that always answers `embedder`.
    public init(_ embedder: (any EmbeddingProvider)?) {
        self.embedder = embedder
    }

    public func embedder(for tenant: TenantID) async throws -> (any EmbeddingProvider)? {
        embedder
    }
}
