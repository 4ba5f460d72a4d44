/// Turns texts into fixed-size vectors for semantic search and similarity.
///
/// Implementations are safe to call from many tasks at once. Every returned vector has `dimensions` elements and
/// the vectors come back in the order of `texts`.
public protocol EmbeddingProvider: Sendable {
    /// The model's name, as recorded next to stored vectors so that vectors of different models never mix.
    var model: String { get }

    /// The number of elements of every vector.
    var dimensions: Int { get }

    /// Embeds `texts`, one vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}
