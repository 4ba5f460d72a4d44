/// Merges several rankings of the same items into one.
public enum RankFusion {
    /// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item scores `Σ 1 / (k + rank)` over the
    /// rankings that contain it, with ranks from 1.
    ///
    /// Only an item's first occurrence in a ranking counts. The result is ordered by score, highest first;
    /// equal scores go by identifier, so fusion is deterministic. The constant `k` (60 in the paper) damps the
    /// weight of the very top ranks; it must be non-negative. `weights`, one per ranking (1 when omitted), scale
    /// each ranking's contribution (weighted RRF).
    public static func reciprocalRank(_ rankings: [[String]], k: Double = 60, weights: [Double] = [])
        -> [(id: String, score: Double)]
    {
        let k = max(0, k)
        var scores: [String: Double] = [:]
        for (index, ranking) in rankings.enumerated() {
            let weight = weights.indices.contains(index) ? weights[index] : 1
            var seen: Set<String> = []
            var rank = 0
            for id in ranking where seen.insert(id).inserted {
                rank += 1
                scores[id, default: 0] += weight / (k + Double(rank))
            }
        }
        return scores.map { (id: $0.key, score: $0.value) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id
        }
    }

    /// Score fusion: every candidate's cosine similarity to the query plus `lexicalWeight` times its full-text score
    /// relative to the best full-text hit (0…1; 0 when full-text search did not find it).
    ///
    /// Unlike rank fusion it keeps how close the semantic scores are, so a full-text match decides between
    /// near-ties instead of overturning a clear semantic winner. `similarity` gives the cosine of candidates the
    /// semantic ranking did not return (nil: not embedded, counted as the lowest semantic score seen).
    public static func scores(
        lexical: [(id: String, score: Double)], semantic: [(id: String, score: Float)], lexicalWeight: Double,
        similarity: (String) -> Float?
    ) -> [(id: String, score: Double)] {
        let best = lexical.map(\.score).max() ?? 0
        let floor = Double(semantic.map(\.score).min() ?? 0)
        var cosine: [String: Double] = [:]
        for hit in semantic where cosine[hit.id] == nil { cosine[hit.id] = Double(hit.score) }
        var fused: [String: Double] = [:]
        for hit in semantic { fused[hit.id] = cosine[hit.id] }
        for hit in lexical where fused[hit.id] == nil {
            fused[hit.id] = similarity(hit.id).map(Double.init) ?? floor
        }
        if best > 0 {
            for hit in lexical { fused[hit.id, default: floor] += lexicalWeight * max(0, hit.score) / best }
        }
        return fused.map { (id: $0.key, score: $0.value) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id
        }
    }
}
