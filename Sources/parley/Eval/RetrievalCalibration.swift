import ParleyKnowledge

/// How well retrieval confidence predicts a relevant top hit, per confidence band and per threshold.
struct RetrievalCalibration: Sendable {
    /// One query's confidence and whether its top hit was relevant.
    struct Sample: Sendable {
        var confidence: Double
        var topHitRelevant: Bool
    }

    /// Queries at or above a threshold, and how many of those had a relevant top hit.
    struct Coverage: Sendable {
        var threshold: Double
        var answered: Int
        var correct: Int
        var total: Int

        /// The share of all queries answered.
        var coverage: Double { total == 0 ? 0 : Double(answered) / Double(total) }
        /// The share of answered queries whose top hit was relevant.
        var precision: Double { answered == 0 ? 0 : Double(correct) / Double(answered) }
    }

    var samples: [Sample] = []

    /// The samples in ten bands of width 0.1: (lower bound, queries, top-1 relevant).
    func bands() -> [(lower: Double, count: Int, relevant: Int)] {
        (0..<10).map { band in
            let inBand = samples.filter { min(9, Int($0.confidence * 10)) == band }
            return (Double(band) / 10, inBand.count, inBand.count { $0.topHitRelevant })
        }
    }

    /// What answering only at or above `threshold` would cover.
    func coverage(at threshold: Double) -> Coverage {
        let answered = samples.filter { $0.confidence >= threshold }
        return Coverage(
            threshold: threshold, answered: answered.count, correct: answered.count { $0.topHitRelevant },
            total: samples.count)
    }

    /// The lowest threshold, in steps of 0.05, whose answered queries reach `target` top-1 precision.
    func lowestThreshold(reaching target: Double) -> Coverage? {
        (0...20).map { coverage(at: Double($0) / 20) }.first { $0.answered > 0 && $0.precision >= target }
    }
}
