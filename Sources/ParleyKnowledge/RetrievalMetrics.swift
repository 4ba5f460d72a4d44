import Foundation

/// Ranking metrics with trec_eval's definitions (as BEIR computes them through pytrec_eval).
///
/// A ranking is a list of document identifiers, best first; a repeated identifier counts only where it first
/// appears. Judgements map a document to a score; a score above 0 is relevant, and nDCG uses the score itself as
/// the gain. Documents without a judgement are not relevant.
public enum RetrievalMetrics {
    /// Returns the average precision of `ranking`.
    ///
    /// The mean, over all relevant documents, of the precision at the rank where each is retrieved (0 for one
    /// never retrieved); 0 when nothing is relevant.
    public static func averagePrecision(ranking: [String], judgements: [String: Int]) -> Double {
        let relevantCount = judgements.values.count { $0 > 0 }
        guard relevantCount > 0 else { return 0 }
        var hits = 0
        var sum = 0.0
        for (offset, id) in unique(ranking).enumerated() where (judgements[id] ?? 0) > 0 {
            hits += 1
            sum += Double(hits) / Double(offset + 1)
        }
        return sum / Double(relevantCount)
    }

    /// Returns the normalised discounted cumulative gain of the top `k` of `ranking`.
    ///
    /// `Σ gain / log2(rank + 1)` over the top `k`, divided by the same sum for the ideal ordering of the judged
    /// documents; 0 when nothing is relevant.
    public static func ndcg(ranking: [String], judgements: [String: Int], at k: Int) -> Double {
        let ideal = judgements.values.filter { $0 > 0 }.sorted(by: >).prefix(k)
        let idealGain = ideal.enumerated().reduce(0.0) { $0 + Double($1.element) / log2(Double($1.offset + 2)) }
        guard idealGain > 0 else { return 0 }
        let gain = unique(ranking).prefix(k).enumerated().reduce(0.0) { total, entry in
            let relevance = max(0, judgements[entry.element] ?? 0)
            return total + Double(relevance) / log2(Double(entry.offset + 2))
        }
        return gain / idealGain
    }

    /// Returns the precision of the top `k` of `ranking`.
    ///
    /// The relevant documents among the top `k`, divided by `k` even when fewer were retrieved, as trec_eval does.
    public static func precision(ranking: [String], judgements: [String: Int], at k: Int) -> Double {
        guard k > 0 else { return 0 }
        let hits = unique(ranking).prefix(k).count { (judgements[$0] ?? 0) > 0 }
        return Double(hits) / Double(k)
    }

    /// Returns the recall of the top `k` of `ranking`.
    ///
    /// The relevant documents among the top `k`, divided by all relevant documents; 0 when nothing is relevant.
    public static func recall(ranking: [String], judgements: [String: Int], at k: Int) -> Double {
        let relevantCount = judgements.values.count { $0 > 0 }
        guard relevantCount > 0, k > 0 else { return 0 }
        let hits = unique(ranking).prefix(k).count { (judgements[$0] ?? 0) > 0 }
        return Double(hits) / Double(relevantCount)
    }

    /// Averages MAP, nDCG@3, P@3 and Recall@5 over every query with at least one relevant judgement.
    ///
    /// A judged query without a ranking counts as an empty ranking (scores 0). Queries that are ranked but not
    /// judged are left out, as in trec_eval.
    public static func evaluate(rankings: [String: [String]], qrels: [String: [String: Int]]) -> RetrievalScores {
        let judged = qrels.filter { $0.value.values.contains { $0 > 0 } }
        guard !judged.isEmpty else {
            return RetrievalScores(map: 0, ndcgAt3: 0, precisionAt3: 0, recallAt5: 0, queryCount: 0)
        }
        var map = 0.0
        var ndcg = 0.0
        var precision = 0.0
        var recall = 0.0
        for (query, judgements) in judged {
            let ranking = rankings[query] ?? []
            map += averagePrecision(ranking: ranking, judgements: judgements)
            ndcg += self.ndcg(ranking: ranking, judgements: judgements, at: 3)
            precision += self.precision(ranking: ranking, judgements: judgements, at: 3)
            recall += self.recall(ranking: ranking, judgements: judgements, at: 5)
        }
        let count = Double(judged.count)
        return RetrievalScores(
            map: map / count, ndcgAt3: ndcg / count, precisionAt3: precision / count, recallAt5: recall / count,
            queryCount: judged.count)
    }

    /// The ranking without repeats, keeping first occurrences.
    private static func unique(_ ranking: [String]) -> [String] {
        var seen: Set<String> = []
        return ranking.filter { seen.insert($0).inserted }
    }
}
