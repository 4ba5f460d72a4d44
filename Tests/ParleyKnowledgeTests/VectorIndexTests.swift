import Testing

@testable import ParleyKnowledge

@Suite("Exact vector search")
struct VectorIndexTests {
    private func randomVectors(count: Int, dimensions: Int, seed: UInt64) -> [[Float]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<dimensions).map { _ in Float.random(in: -1...1, using: &generator) } }
    }

    /// The top `k` by a full sort of cosines computed in Double, ties by identifier.
    private func bruteForce(_ vectors: [(id: String, vector: [Float])], query: [Float], k: Int) -> [(String, Double)] {
        func norm(_ vector: [Float]) -> Double { vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
        let scored = vectors.map { entry -> (String, Double) in
            let dot = zip(entry.vector, query).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            return (entry.id, dot / (norm(entry.vector) * norm(query)))
        }
        return Array(scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(k))
    }

    @Test("top-k matches a brute-force sort on random data", arguments: [(37, 600), (384, 300), (8, 50), (1, 20)])
    func matchesBruteForce(dimensions: Int, count: Int) throws {
        let vectors = randomVectors(count: count, dimensions: dimensions, seed: UInt64(dimensions * 1000 + count))
        var index = VectorIndex(dimensions: dimensions)
        var entries: [(id: String, vector: [Float])] = []
        for (row, vector) in vectors.enumerated() {
            let id = "doc-\(row)"
            try index.add(id: id, vector: vector)
            entries.append((id, vector))
        }
        #expect(index.count == count)
        for (offset, query) in randomVectors(count: 10, dimensions: dimensions, seed: 99).enumerated() {
            let k = [1, 5, 10, count + 3][offset % 4]
            let found = index.search(query, k: k)
            let expected = bruteForce(entries, query: query, k: k)
            #expect(found.count == min(k, count))
            if dimensions > 1 {
                #expect(found.map(\.id) == expected.map(\.0))
            }
            for (hit, reference) in zip(found, expected) {
                #expect(abs(Double(hit.score) - reference.1) < 1e-4)
            }
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    @Test("equal scores are ordered by identifier")
    func ties() throws {
        var index = VectorIndex(dimensions: 3)
        for id in ["c", "a", "d", "b"] { try index.add(id: id, vector: [1, 2, 3]) }
        try index.add(id: "e", vector: [-1, 0, 0])
        #expect(index.search([2, 4, 6], k: 3).map(\.id) == ["a", "b", "c"])
        #expect(index.search([2, 4, 6], k: 10).map(\.id) == ["a", "b", "c", "d", "e"])
    }

    @Test("vectors are normalised, so the score is the cosine")
    func normalisation() throws {
        var index = VectorIndex(dimensions: 2)
        try index.add(id: "long", vector: [30, 40])
        try index.add(id: "orthogonal", vector: [-4, 3])
        let hits = index.search([0.6, 0.8], k: 2)
        #expect(hits.map(\.id) == ["long", "orthogonal"])
        #expect(abs((hits.first?.score ?? 0) - 1) < 1e-6)
        #expect(abs(hits.last?.score ?? 1) < 1e-6)
    }

    @Test("adding a vector of the wrong dimension, a zero or a non-finite vector throws")
    func addErrors() {
        var index = VectorIndex(dimensions: 4)
        #expect(throws: VectorIndexError.dimensionMismatch(expected: 4, actual: 3)) {
            try index.add(id: "x", vector: [1, 2, 3])
        }
        #expect(throws: VectorIndexError.zeroVector(id: "z")) { try index.add(id: "z", vector: [0, 0, 0, 0]) }
        #expect(throws: VectorIndexError.nonFiniteComponent(id: "n")) {
            try index.add(id: "n", vector: [1, .nan, 0, 0])
        }
        #expect(index.isEmpty)
    }

    @Test("bad queries and k <= 0 give no results")
    func badQueries() throws {
        var index = VectorIndex(dimensions: 2)
        try index.add(id: "a", vector: [1, 0])
        #expect(index.search([1, 0, 0], k: 1).isEmpty)
        #expect(index.search([0, 0], k: 1).isEmpty)
        #expect(index.search([.infinity, 0], k: 1).isEmpty)
        #expect(index.search([1, 0], k: 0).isEmpty)
        #expect(VectorIndex(dimensions: 2).search([1, 0], k: 3).isEmpty)
    }

    @Test("adding an existing identifier replaces its vector")
    func replace() throws {
        var index = VectorIndex(dimensions: 2)
        try index.add(id: "a", vector: [1, 0])
        try index.add(id: "b", vector: [0.8, 0.6])
        try index.add(id: "a", vector: [0, 1])
        #expect(index.count == 2)
        #expect(index.ids == ["a", "b"])
        #expect(index.search([1, 0], k: 1).map(\.id) == ["b"])
        #expect(index.search([0, 1], k: 1).map(\.id) == ["a"])
    }

    @Test("removed vectors are never returned and the rest still search correctly")
    func removal() throws {
        let dimensions = 24
        let vectors = randomVectors(count: 200, dimensions: dimensions, seed: 5)
        var index = VectorIndex(dimensions: dimensions)
        for (row, vector) in vectors.enumerated() { try index.add(id: "doc-\(row)", vector: vector) }
        let removed = Set((0..<200).filter { $0 % 3 == 0 }.map { "doc-\($0)" })
        index.remove(ids: removed.union(["not-there"]))
        #expect(index.count == 200 - removed.count)
        #expect(!index.contains(id: "doc-0"))
        #expect(index.contains(id: "doc-1"))
        let remaining = vectors.enumerated().filter { $0.offset % 3 != 0 }.map {
            (id: "doc-\($0.offset)", vector: $0.element)
        }
        for query in randomVectors(count: 5, dimensions: dimensions, seed: 6) {
            let found = index.search(query, k: 200)
            #expect(found.allSatisfy { !removed.contains($0.id) })
            #expect(found.map(\.id) == bruteForce(remaining, query: query, k: 200).map(\.0))
        }
        // Re-adding a removed identifier works, and removing nothing known changes nothing.
        try index.add(id: "doc-0", vector: vectors[0])
        index.remove(ids: ["missing"])
        #expect(index.search(vectors[0], k: 1).map(\.id) == ["doc-0"])
    }

    @Test("the SIMD dot product agrees with a plain loop for every tail length")
    func dotProduct() {
        var generator = SeededGenerator(seed: 11)
        for count in 0...70 {
            let lhs = (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
            let rhs = (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
            let expected = zip(lhs, rhs).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let computed = lhs.withUnsafeBufferPointer { left in
                rhs.withUnsafeBufferPointer { right -> Float in
                    guard let l = left.baseAddress, let r = right.baseAddress else { return 0 }
                    return DotProduct.compute(l, r, count: count)
                }
            }
            #expect(abs(Double(computed) - expected) < 1e-4, "count \(count)")
        }
    }

    @Test("the similarity of one stored vector is the search's score for it")
    func similarityOfOne() throws {
        var index = VectorIndex(dimensions: 3)
        try index.add(id: "a", vector: [1, 0, 0])
        try index.add(id: "b", vector: [1, 1, 0])
        let query: [Float] = [2, 0, 0]
        let searched = index.search(query, k: 2)
        for hit in searched { #expect(abs((index.similarity(of: hit.id, to: query) ?? -9) - hit.score) < 1e-6) }
        #expect(index.similarity(of: "missing", to: query) == nil)
        #expect(index.similarity(of: "a", to: [1, 0]) == nil)
        #expect(index.similarity(of: "a", to: [0, 0, 0]) == nil)
    }
}

@Suite("Quantized vector search")
struct QuantizedVectorSearchTests {
    @Test(
        "the int8 kernel's dot products are exact, for every tail length", arguments: [1, 15, 16, 31, 32, 33, 384, 385])
    func kernel(dimensions: Int) {
        var generator = SeededGenerator(seed: UInt64(dimensions))
        let rows = 7
        let codes = (0..<rows * dimensions).map { _ in Int8.random(in: -127...127, using: &generator) }
        let scales = (0..<rows).map { _ in Float.random(in: 0.001...0.01, using: &generator) }
        let query = (0..<dimensions).map { _ in Int8.random(in: -127...127, using: &generator) }
        let scores = VectorIndex.int8Scores(codes: codes, scales: scales, dimensions: dimensions, query: query)
        for row in 0..<rows {
            let dot = (0..<dimensions).reduce(0) { $0 + Int(codes[row * dimensions + $1]) * Int(query[$1]) }
            #expect(scores[row] == Float(dot) * scales[row], "row \(row) of \(dimensions)")
        }
    }

    @Test("past the threshold, search finds the exact scan's rows with their exact scores, removals included")
    func matchesExactSearch() throws {
        var generator = SeededGenerator(seed: 7)
        let dimensions = 48
        let centroids = (0..<300).map { _ in (0..<dimensions).map { _ in Float.random(in: -1...1, using: &generator) } }
        var index = VectorIndex(dimensions: dimensions)
        let count = VectorIndex.quantizedSearchThreshold + 500
        for row in 0..<count {
            let centroid = centroids[row % centroids.count]
            try index.add(id: "c\(row)", vector: centroid.map { $0 + Float.random(in: -0.4...0.4, using: &generator) })
        }
        let removed = Set((0..<50).map { "c\($0 * 3)" })
        index.remove(ids: removed)
        var recalled = 0
        var asked = 0
        for query in 0..<40 {
            let probe = centroids[query * 7].map { $0 + Float.random(in: -0.5...0.5, using: &generator) }
            let found = index.search(probe, k: 10)
            let exact = index.exactSearch(probe, k: 10)
            #expect(found.count == 10 && zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })
            #expect(!found.contains { removed.contains($0.id) })
            let exactScores = Dictionary(uniqueKeysWithValues: exact.map { ($0.id, $0.score) })
            for hit in found {
                if let score = exactScores[hit.id] { #expect(hit.score == score, "\(hit.id)") }
            }
            recalled += found.filter { exactScores[$0.id] != nil }.count
            asked += 10
        }
        #expect(Double(recalled) / Double(asked) >= 0.99, "recall@10 \(Double(recalled) / Double(asked))")
    }
}
