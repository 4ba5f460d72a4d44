import Foundation
import Testing

@testable import ParleyAI

@Suite(
    "all-MiniLM-L6-v2 against sentence-transformers",
    .enabled(if: ModelLocator.directory != nil, Comment(rawValue: ModelLocator.skipReason)))
struct ExactnessTests {
    /// The cosine similarity of two vectors, accumulated in double precision.
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot: Double = 0
        var normA: Double = 0
        var normB: Double = 0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        return dot / max((normA * normB).squareRoot(), 1e-30)
    }

    @Test("every reference vector has cosine ≥ 0.999 to ours")
    func referenceVectors() async throws {
        let embedder = try #require(ModelLocator.embedder)
        let fixture = ReferenceFixture.shared
        #expect(fixture.embeddings.count >= 200)
        let vectors = try await embedder.embed(fixture.embeddings.map(\.text))
        var worst: (cosine: Double, text: String) = (1, "")
        for (reference, vector) in zip(fixture.embeddings, vectors) {
            #expect(vector.count == 384)
            let similarity = Self.cosine(reference.vector, vector)
            if similarity < worst.cosine { worst = (similarity, reference.text) }
            #expect(similarity >= 0.999, "\(reference.text.debugDescription): cosine \(similarity)")
        }
        print(
            "minimum cosine over \(vectors.count) reference sentences: \(worst.cosine) for \(worst.text.prefix(60).debugDescription)"
        )
    }

    @Test("single, batched and concurrent calls agree")
    func callShapesAgree() async throws {
        let embedder = try #require(ModelLocator.embedder)
        let texts = ReferenceFixture.shared.embeddings.prefix(40).map(\.text)
        // The synchronous paths run off Swift's cooperative pool, which other suites' timers rely on.
        let batched = await Self.offPool { embedder.embedSynchronously(texts) }
        let single = await Self.offPool { texts.map { embedder.embed($0) } }
        let concurrent = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, try await embedder.embed([text])[0]) }
            }
            var vectors = [[Float]](repeating: [], count: texts.count)
            for try await (index, vector) in group { vectors[index] = vector }
            return vectors
        }
        for index in texts.indices {
            #expect(Self.cosine(batched[index], single[index]) > 0.99999)
            #expect(Self.cosine(batched[index], concurrent[index]) > 0.99999)
        }
        #expect(try await embedder.embed([]).isEmpty)
        #expect(embedder.dimensions == 384)
    }

    /// Runs CPU-bound work on a Dispatch queue and waits for it without holding a cooperative thread.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
