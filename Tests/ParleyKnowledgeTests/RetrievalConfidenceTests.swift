import ParleyKnowledge
import Testing

@Suite("Retrieval confidence")
struct RetrievalConfidenceTests {
    let model = RetrievalConfidence()

    @Test("confidence never decreases as the top cosine grows, and stays in 0...1")
    func monotonicInCosine() {
        for agree in [nil, false, true] as [Bool?] {
            for margin in [nil, 0.0, 0.3, 1.0] as [Double?] {
                var previous = -1.0
                for step in 0...100 {
                    let cosine = -0.2 + Double(step) * 0.012
                    let signals = RetrievalSignals(topSemanticScore: cosine, topHitsAgree: agree, lexicalMargin: margin)
                    let confidence = model.confidence(for: signals)
                    #expect((0...1).contains(confidence))
                    #expect(confidence >= previous)
                    previous = confidence
                }
            }
        }
    }

    @Test("below the floor and above the ceiling the semantic signal saturates")
    func saturation() {
        let low = model.confidence(for: RetrievalSignals(topSemanticScore: 0.1))
        let high = model.confidence(for: RetrievalSignals(topSemanticScore: 0.95))
        #expect(low == 0)
        #expect(high == 1)
        #expect(abs(model.confidence(for: RetrievalSignals(topSemanticScore: 0.5)) - 0.5) < 1e-12)
    }

    @Test("agreement of the top hits raises confidence; disagreement lowers it")
    func agreement() {
        let alone = model.confidence(for: RetrievalSignals(topSemanticScore: 0.55))
        let agreed = model.confidence(for: RetrievalSignals(topSemanticScore: 0.55, topHitsAgree: true))
        let disagreed = model.confidence(for: RetrievalSignals(topSemanticScore: 0.55, topHitsAgree: false))
        #expect(disagreed < alone)
        #expect(alone < agreed)
        #expect(model.isConfident(agreed))
        #expect(!model.isConfident(disagreed))
        // (0.6 * 0.625 + 0.25) / 0.85
        #expect(abs(agreed - (0.6 * 0.625 + 0.25) / 0.85) < 1e-12)
    }

    @Test("without signals the confidence is 0; lexical-only confidence is the scaled margin")
    func missingSignals() {
        #expect(model.confidence(for: RetrievalSignals()) == 0)
        #expect(abs(model.confidence(for: RetrievalSignals(lexicalMargin: 0.2)) - 0.4) < 1e-12)
        #expect(model.confidence(for: RetrievalSignals(lexicalMargin: 0.9)) == 1)
    }

    @Test("signals are read off lexical and semantic rankings")
    func signalsFromRankings() {
        let signals = RetrievalSignals(
            lexical: [(id: "a", score: 8), (id: "b", score: 6)],
            semantic: [(id: "a", score: 0.72), (id: "c", score: 0.5)])
        #expect(
            signals == RetrievalSignals(topSemanticScore: Double(Float(0.72)), topHitsAgree: true, lexicalMargin: 0.25))
        #expect(RetrievalSignals(lexical: [(id: "a", score: 3)], semantic: []).lexicalMargin == 1)
        #expect(RetrievalSignals(lexical: [], semantic: [(id: "c", score: 0.4)]).topHitsAgree == nil)
        #expect(RetrievalSignals(lexical: [(id: "a", score: 0)], semantic: []).lexicalMargin == 0)
    }

    @Test("the default threshold is shared with the extractive answerer")
    func defaults() {
        #expect(model.threshold == RetrievalConfidence.defaultThreshold)
        #expect(ExtractiveAnswerer().minimumConfidence == RetrievalConfidence.defaultThreshold)
    }
}
