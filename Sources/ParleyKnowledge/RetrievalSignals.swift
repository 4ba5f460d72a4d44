/// What a retrieval run says about its own top hit, the inputs of ``RetrievalConfidence``.
public struct RetrievalSignals: Sendable, Equatable {
    /// The cosine similarity of the best semantic hit, or `nil` when there was no semantic retrieval.
    public var topSemanticScore: Double?
    /// Whether the lexical and the semantic retriever put the same item first, or `nil` unless both ran and both
    /// returned something.
    public var topHitsAgree: Bool?
    /// How far the best lexical hit is ahead of the second, `(first - second) / first` in 0…1 (1 when there is
    /// only one hit), or `nil` when there was no lexical hit.
    public var lexicalMargin: Double?

    /// Creates signals from their parts.
    public init(topSemanticScore: Double? = nil, topHitsAgree: Bool? = nil, lexicalMargin: Double? = nil) {
        self.topSemanticScore = topSemanticScore
        self.topHitsAgree = topHitsAgree
        self.lexicalMargin = lexicalMargin
    }

    /// Reads the signals off a lexical and a semantic ranking (either may be empty), each best first.
    ///
    /// Lexical scores must be "higher is better" and non-negative (BM25; negate FTS5's `bm25()`).
    public init(lexical: [(id: String, score: Double)], semantic: [(id: String, score: Float)]) {
        topSemanticScore = semantic.first.map { Double($0.score) }
        if let lexicalTop = lexical.first, let semanticTop = semantic.first {
            topHitsAgree = lexicalTop.id == semanticTop.id
        } else {
            topHitsAgree = nil
        }
        if let first = lexical.first?.score {
            let second = lexical.dropFirst().first?.score ?? 0
            lexicalMargin = first > 0 ? min(1, max(0, (first - second) / first)) : 0
        } else {
            lexicalMargin = nil
        }
    }
}
