import ParleyKnowledge
import Testing

@Suite("Retrieval metrics")
struct RetrievalMetricsTests {
    let ranking = ["d1", "d2", "d3", "d4", "d5"]
    let judgements = ["d1": 1, "d3": 1, "d6": 1, "d2": 0]

    @Test("average precision: (1/1 + 2/3) / 3 relevant")
    func averagePrecision() {
        #expect(
            abs(RetrievalMetrics.averagePrecision(ranking: ranking, judgements: judgements) - (1 + 2.0 / 3) / 3) < 1e-12
        )
        #expect(RetrievalMetrics.averagePrecision(ranking: ranking, judgements: ["d9": 0]) == 0)
        #expect(RetrievalMetrics.averagePrecision(ranking: ["d6", "d1", "d3"], judgements: judgements) == 1)
    }

    @Test("precision at 3 divides by 3 even when fewer were retrieved; recall at 5")
    func precisionAndRecall() {
        #expect(abs(RetrievalMetrics.precision(ranking: ranking, judgements: judgements, at: 3) - 2.0 / 3) < 1e-12)
        #expect(abs(RetrievalMetrics.precision(ranking: ["d1"], judgements: judgements, at: 3) - 1.0 / 3) < 1e-12)
        #expect(abs(RetrievalMetrics.recall(ranking: ranking, judgements: judgements, at: 5) - 2.0 / 3) < 1e-12)
        #expect(abs(RetrievalMetrics.recall(ranking: ranking, judgements: judgements, at: 1) - 1.0 / 3) < 1e-12)
    }

    @Test("nDCG at 3, binary: (1 + 1/log2 4) / (1 + 1/log2 3 + 1/log2 4)")
    func ndcgBinary() {
        let expected = (1 + 0.5) / (1 + 1 / 1.584962500721156 + 0.5)
        #expect(abs(RetrievalMetrics.ndcg(ranking: ranking, judgements: judgements, at: 3) - expected) < 1e-12)
        #expect(abs(expected - 0.703918) < 1e-6)
    }

    @Test("nDCG at 3, graded gains: the ideal order is 3, 2, 1")
    func ndcgGraded() {
        let graded = ["a": 1, "b": 2, "c": 0, "d": 3]
        let dcg = 1 + 2 / 1.584962500721156
        let ideal = 3 + 2 / 1.584962500721156 + 1 / 2.0
        #expect(abs(RetrievalMetrics.ndcg(ranking: ["a", "b", "c"], judgements: graded, at: 3) - dcg / ideal) < 1e-12)
        #expect(abs(RetrievalMetrics.ndcg(ranking: ["d", "b", "a"], judgements: graded, at: 3) - 1) < 1e-12)
    }

    @Test("a repeated document counts once, at its first rank")
    func repeats() {
        #expect(
            abs(RetrievalMetrics.precision(ranking: ["d1", "d1", "d3"], judgements: judgements, at: 3) - 2.0 / 3)
                < 1e-12)
        #expect(
            abs(RetrievalMetrics.averagePrecision(ranking: ["d1", "d1"], judgements: judgements) - 1.0 / 3) < 1e-12)
    }

    @Test("the mean is over judged queries; an unranked judged query counts as 0, an unjudged one not at all")
    func evaluate() {
        let qrels = ["q1": ["d1": 1], "q2": ["d2": 1], "q3": ["d3": 0]]
        let rankings = ["q1": ["d1", "d2"], "q3": ["d3"], "q4": ["d1"]]
        let scores = RetrievalMetrics.evaluate(rankings: rankings, qrels: qrels)
        #expect(scores.queryCount == 2)
        #expect(scores.map == 0.5)
        #expect(scores.ndcgAt3 == 0.5)
        #expect(abs(scores.precisionAt3 - 1.0 / 6) < 1e-12)
        #expect(scores.recallAt5 == 0.5)
        #expect(RetrievalMetrics.evaluate(rankings: [:], qrels: [:]).queryCount == 0)
    }
}
