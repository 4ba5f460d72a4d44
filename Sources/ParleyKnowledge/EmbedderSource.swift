import ParleyAI
import ParleyCore

/// Finds the embedder of a tenant's knowledge, so that each tenant's vectors come from the model it chose.
public protocol EmbedderSource: Sendable {
    /// The tenant's embedder, or nil when its knowledge is searched by its words only.
    func embedder(for tenant: TenantID) async throws -> (any EmbeddingProvider)?
}
