import ParleyAI
import Synchronization
import Testing

/// Counts the texts it is asked to embed.
private final class CountingEmbedder: EmbeddingProvider {
    let model = "counting"
    let dimensions = 2
    let texts = Mutex<[String]>([])

    func embed(_ texts: [String]) async throws -> [[Float]] {
        self.texts.withLock { $0 += texts }
        return texts.map { [Float($0.count), 1] }
    }
}

@Suite("Memoizing embedder")
struct MemoizingEmbedderTests {
    @Test("one text is embedded once while it is recent; batches pass through; the oldest is forgotten first")
    func remembersRecentSingleTexts() async throws {
        let base = CountingEmbedder()
        let embedder = MemoizingEmbedder(base, capacity: 2)
        #expect(embedder.model == "counting")
        #expect(embedder.dimensions == 2)
        let first = try await embedder.embed(["where is my card"])
        let again = try await embedder.embed(["where is my card"])
        #expect(first == again)
        #expect(base.texts.withLock { $0 } == ["where is my card"])

        // A batch is never served from memory nor remembered.
        _ = try await embedder.embed(["a", "b"])
        _ = try await embedder.embed(["where is my card", "b"])
        _ = try await embedder.embed(["a"])
        #expect(base.texts.withLock { $0.count } == 6)

        // Capacity 2: "where is my card" and "a" are remembered; a third text evicts the oldest.
        _ = try await embedder.embed(["refund"])
        _ = try await embedder.embed(["a"])
        #expect(base.texts.withLock { $0.count } == 7)
        _ = try await embedder.embed(["where is my card"])
        #expect(base.texts.withLock { $0.last } == "where is my card")
        #expect(base.texts.withLock { $0.count } == 8)
    }
}
