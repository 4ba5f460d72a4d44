import ParleyKnowledge
import Testing

@Suite("Reciprocal rank fusion")
struct RankFusionTests {
    @Test("scores a hand-worked example")
    func handExample() {
        let fused = RankFusion.reciprocalRank([["a", "b", "c"], ["b", "c", "d"]])
        #expect(fused.map(\.id) == ["b", "c", "a", "d"])
        let expected: [String: Double] = [
            "a": 1.0 / 61, "b": 1.0 / 62 + 1.0 / 61, "c": 1.0 / 63 + 1.0 / 62, "d": 1.0 / 63,
        ]
        for entry in fused { #expect(abs(entry.score - (expected[entry.id] ?? 0)) < 1e-12) }
    }

    @Test("k changes the weights: with k = 0 a first place is worth 1")
    func constant() {
        let fused = RankFusion.reciprocalRank([["x", "y"], ["y"]], k: 0)
        #expect(fused.map(\.id) == ["y", "x"])
        #expect(fused.map(\.score) == [1.5, 1])
    }

    @Test("equal scores are ordered by identifier, whatever the ranking order")
    func ties() {
        #expect(RankFusion.reciprocalRank([["y"], ["x"]]).map(\.id) == ["x", "y"])
        #expect(RankFusion.reciprocalRank([["x"], ["y"]]).map(\.id) == ["x", "y"])
    }

    @Test("a repeated identifier counts only once per ranking; empty input gives nothing")
    func repeats() {
        let fused = RankFusion.reciprocalRank([["a", "a", "b"]])
        #expect(fused.map(\.id) == ["a", "b"])
        #expect(abs((fused.last?.score ?? 0) - 1.0 / 62) < 1e-12)
        #expect(RankFusion.reciprocalRank([]).isEmpty)
        #expect(RankFusion.reciprocalRank([[], []]).isEmpty)
    }

    @Test("score fusion lets a full-text match decide a near-tie but not overturn a clear semantic winner")
    func scoreFusion() {
        let semantic: [(id: String, score: Float)] = [("a", 0.80), ("b", 0.79), ("c", 0.50)]
        let lexical: [(id: String, score: Double)] = [("b", 10), ("c", 9), ("d", 5)]
        let fused = RankFusion.scores(lexical: lexical, semantic: semantic, lexicalWeight: 0.1) { id in
            id == "d" ? 0.2 : nil
        }
        #expect(fused.map(\.id) == ["b", "a", "c", "d"])
        #expect(abs(fused[0].score - (0.79 + 0.1)) < 1e-6)
        #expect(abs(fused[2].score - (0.50 + 0.09)) < 1e-6)
        #expect(abs(fused[3].score - (0.2 + 0.05)) < 1e-6, "a candidate only full-text found gets its own cosine")
        let unembedded = RankFusion.scores(lexical: [("e", 1)], semantic: semantic, lexicalWeight: 0.1) { _ in nil }
        #expect(abs((unembedded.first { $0.id == "e" }?.score ?? 0) - (0.5 + 0.1)) < 1e-6, "floor: lowest cosine")
        #expect(RankFusion.scores(lexical: [], semantic: [], lexicalWeight: 0.1) { _ in nil }.isEmpty)
    }

    @Test("weighted reciprocal rank fusion scales each ranking")
    func weightedRanks() {
        let fused = RankFusion.reciprocalRank([["x"], ["y"]], k: 0, weights: [0.5, 1])
        #expect(fused.map(\.id) == ["y", "x"])
        #expect(fused.map(\.score) == [1, 0.5])
    }
}
