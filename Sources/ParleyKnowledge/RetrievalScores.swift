/// The mean retrieval metrics of a run over a set of queries.
public struct RetrievalScores: Sendable, Equatable {
    /// Mean average precision over the whole ranking.
    public var map: Double
    /// Mean nDCG at 3.
    public var ndcgAt3: Double
    /// Mean precision at 3.
    public var precisionAt3: Double
    /// Mean recall at 5.
    public var recallAt5: Double
    /// The number of queries averaged over.
    public var queryCount: Int

    /// Creates scores.
    public init(map: Double, ndcgAt3: Double, precisionAt3: Double, recallAt5: Double, queryCount: Int) {
        self.map = map
        self.ndcgAt3 = ndcgAt3
        self.precisionAt3 = precisionAt3
        self.recallAt5 = recallAt5
        self.queryCount = queryCount
    }
}
