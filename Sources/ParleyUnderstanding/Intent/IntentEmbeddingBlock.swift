/// The sentence-embedding part of an intent classifier's input: which model's vectors it learned from, and how much
/// they weigh beside the n-gram features.
///
/// A sentence embedding knows that "my card hasn't come" and "still waiting for the card to arrive" mean the same
/// thing, which n-grams cannot; n-grams know the exact words a tenant's customers use. The classifier reads both at
/// once: the unit-length embedding is appended to the n-gram vector (itself of length 1) as extra columns, scaled by
/// ``weight``, and one softmax model is trained over the lot.
public struct IntentEmbeddingBlock: Sendable, Codable, Hashable {
    /// The embedding model's name; a vector from any other model is never used.
    public let model: String
    /// The length of the model's vectors.
    public let dimensions: Int
    /// The factor applied to the unit-length vector.
    public let weight: Float
    /// The block's first column in the model, just after the featurizer's columns.
    public let firstColumn: Int

    /// Creates a block.
    public init(model: String, dimensions: Int, weight: Float, firstColumn: Int) {
        self.model = model
        self.dimensions = dimensions
        self.weight = weight
        self.firstColumn = firstColumn
    }

    /// Returns `features` with `embedding` appended as the block's columns, or `features` alone when the embedding
    /// is missing, of another size, or zero.
    func appending(_ embedding: [Float]?, to features: SparseVector) -> SparseVector {
        guard let embedding, embedding.count == dimensions else { return features }
        var squared: Float = 0
        for value in embedding { squared += value * value }
        guard squared > 0, squared.isFinite else { return features }
        let scale = weight / squared.squareRoot()
        var combined = features
        combined.indices.reserveCapacity(features.indices.count + dimensions)
        combined.values.reserveCapacity(features.values.count + dimensions)
        for (offset, value) in embedding.enumerated() {
            combined.indices.append(Int32(firstColumn + offset))
            combined.values.append(value * scale)
        }
        return combined
    }
}
