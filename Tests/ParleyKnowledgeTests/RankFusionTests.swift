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
}
