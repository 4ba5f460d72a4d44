import ParleyAI

/// An embedder whose vectors are recorded under another name than the model it asks its endpoint for.
///
/// A tenant's own endpoint records `model@dimensions/endpoint`, so that two tenants' models of one name but different
/// sizes never share a pgvector index, and a move to another endpoint embeds the knowledge again.
struct RecordedEmbedder: EmbeddingProvider {
    let base: any EmbeddingProvider
    let model: String
    var dimensions: Int { base.dimensions }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        try await base.embed(texts)
    }
}
