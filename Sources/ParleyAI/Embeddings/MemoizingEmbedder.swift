import Synchronization

/// An embedder that remembers the vectors of the last few single texts it embedded, so that one turn embeds the
/// visitor's message once although several stages read its meaning (intent, then retrieval).
///
/// Only single-text calls are remembered: a batch (ingestion, training) passes straight through and never evicts
/// what a turn is about to ask for again.
public final class MemoizingEmbedder: EmbeddingProvider {
    private let base: any EmbeddingProvider
    private let capacity: Int
    private let recent = Mutex(Recent())

    /// The remembered vectors, oldest first for eviction.
    private struct Recent {
        var vectors: [String: [Float]] = [:]
        var order: [String] = []
        var oldest = 0
    }

    public var model: String { base.model }
    public var dimensions: Int { base.dimensions }

    /// Wraps `base`, remembering up to `capacity` texts.
    public init(_ base: any EmbeddingProvider, capacity: Int = 256) {
        self.base = base
        self.capacity = max(1, capacity)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard texts.count == 1, let text = texts.first else { return try await base.embed(texts) }
        if let known = recent.withLock({ $0.vectors[text] }) { return [known] }
        let vectors = try await base.embed(texts)
        if let vector = vectors.first, vectors.count == 1 { remember(vector, for: text) }
        return vectors
    }

    private func remember(_ vector: [Float], for text: String) {
        recent.withLock { recent in
            guard recent.vectors.updateValue(vector, forKey: text) == nil else { return }
            if recent.order.count < capacity {
                recent.order.append(text)
            } else {
                recent.vectors[recent.order[recent.oldest]] = nil
                recent.order[recent.oldest] = text
                recent.oldest = (recent.oldest + 1) % capacity
            }
        }
    }
}
