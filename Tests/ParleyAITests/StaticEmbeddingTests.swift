import Foundation
import Testing

@testable import ParleyAI

/// The static embeddings the intent stage reads: distilled from the encoder by Model2Vec's recipe, kept in a file
/// beside the model, and close in meaning to the encoder itself.
@Suite("Static embeddings")
struct StaticEmbeddingTests {
    /// A tiny model with a placeholder token, so the recipe's every step has something to do.
    static let tiny = TinyModel(
        vocabulary: ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", ",", "##s", "again"])

    @Test("each token's vector is its encoder state, centred on the mean and weighted by SIF; placeholders are zero")
    func recipe() throws {
        let directory = try Self.tiny.write()
        defer { try? FileManager.default.removeItem(at: directory) }
        let encoder = try MiniLMEmbedder(directory: directory, parallelism: 1)
        let table = StaticEmbeddingDistiller.distill(encoder, fingerprint: "tiny")
        let vocabulary = Self.tiny.vocabulary
        #expect(table.tokens == vocabulary.count && table.dimensions == Self.tiny.hidden)
        let kept = vocabulary.indices.filter { $0 != 1 }
        let raw = encoder.encodeChunk(
            kept.map { [encoder.tokenizer.classifierID, Int32($0), encoder.tokenizer.separatorID] }, normalized: false)
        let mean = (0..<table.dimensions).map { column in
            raw.reduce(0.0) { $0 + Double($1[column]) } / Double(raw.count)
        }
        let harmonic = kept.indices.reduce(0.0) { $0 + 1 / Double($1 + 2) }
        for (rank, id) in kept.enumerated() {
            let weight = 1e-4 / (1e-4 + (1 / Double(rank + 2)) / harmonic)
            let vector = table.mean(of: [Int32(id)])
            for column in 0..<table.dimensions {
                let expected = (Double(raw[rank][column]) - mean[column]) * weight
                #expect(abs(Double(vector[column]) - expected) < 1e-5, "token \(vocabulary[id]), column \(column)")
            }
        }
        #expect(table.mean(of: [1]).allSatisfy { $0 == 0 })
        #expect(
            StaticEmbeddingDistiller.isPlaceholder("[unused42]") && !StaticEmbeddingDistiller.isPlaceholder("[UNK]"))
    }

    @Test("the loader distils once, keeps the table beside the model, and distils again for another model")
    func cachedBesideTheModel() throws {
        let directory = try Self.tiny.write()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(StaticEmbedderLoader.tableFile(of: directory) == nil)
        let first = try StaticEmbedderLoader.load(modelDirectory: directory, cacheDirectory: nil)
        let file = try #require(StaticEmbedderLoader.tableFile(of: directory))
        let written = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        let second = try StaticEmbedderLoader.load(modelDirectory: directory, cacheDirectory: nil)
        #expect(first.embed("hello world") == second.embed("hello world"))
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == written)
        #expect(first.model == "all-MiniLM-L6-v2/static")
        // Another vocabulary is another model: the stored table no longer matches and is made again.
        var changed = Self.tiny
        changed.vocabulary[9] = "twice"
        try (changed.vocabulary.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        let fingerprint = try StaticEmbeddingDistiller.fingerprint(of: directory)
        #expect(try StaticEmbeddingTable.read(from: file, fingerprint: fingerprint) == nil)
        _ = try StaticEmbedderLoader.load(modelDirectory: directory, cacheDirectory: nil)
        #expect(try StaticEmbeddingTable.read(from: file, fingerprint: fingerprint) != nil)
    }

    @Test("a damaged table file is refused with a reason, not read")
    func damagedFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-static-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(StaticEmbedderLoader.fileName)
        try StaticEmbeddingTable(vectors: [1, 2, 3, 4, 5, 6], dimensions: 3, fingerprint: "f").write(to: file)
        let read = try #require(try StaticEmbeddingTable.read(from: file, fingerprint: "f"))
        #expect(read.mean(of: [0, 1]) == [2.5, 3.5, 4.5])
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count - 5).write(to: file)
        #expect(throws: EmbedderError.self) { try StaticEmbeddingTable.read(from: file, fingerprint: "f") }
        try Data("not a table".utf8).write(to: file)
        #expect(try StaticEmbeddingTable.read(from: file, fingerprint: "f") == nil)
    }

    @Test(
        "with the real model: unit vectors, paraphrases close, unrelated texts apart",
        .enabled(if: ModelLocator.directory != nil, Comment(rawValue: ModelLocator.skipReason)))
    func realModel() async throws {
        let directory = try #require(ModelLocator.directory)
        let embedder = try await StaticEmbedderLoader.shared(modelDirectory: directory, cacheDirectory: nil)
        func cosine(_ x: String, _ y: String) -> Float {
            zip(embedder.embed(x), embedder.embed(y)).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let vector = embedder.embed("My card still hasn't arrived")
        #expect(vector.count == 384)
        #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        #expect(embedder.embed("").allSatisfy { $0 == 0 } && embedder.embed("🙂🙂").allSatisfy { $0 == 0 })
        let paraphrase = cosine("my card still hasn't arrived", "I am still waiting for my new card")
        let unrelated = cosine("my card still hasn't arrived", "what is the exchange rate for euros")
        #expect(paraphrase > unrelated + 0.2, "paraphrase \(paraphrase), unrelated \(unrelated)")
    }
}
