/// Merges several rankings of the same items into one.
public enum RankFusion {
    /// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item scores `Σ 1 / (k + rank)` over the
    /// rankings that contain it, with ranks from 1.
    ///
    /// Only an item's first occurrence in a ranking counts. The result is ordered by score, highest first;
    /// equal scores go by identifier, so fusion is deterministic. The constant `k` (60 in the paper) damps the
    /// weight of the very top ranks; it must be non-negative.
    public static func reciprocalRank(_ rankings: [[String]], k: Double = 60) -> [(id: String, score: Double)] {
        let k = max(0, k)
        var scores: [String: Double] = [:]
        for ranking in rankings {
            var seen: Set<String> = []
            var rank = 0
            for id in ranking where seen.insert(id).inserted {
                rank += 1
                scores[id, default: 0] += 1 / (k + Double(rank))
            }
        }
        return scores.map { (id: $0.key, score: $0.value) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id
        }
    }
}
