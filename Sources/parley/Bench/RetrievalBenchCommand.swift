import ArgumentParser
import Foundation
import ParleyAI
import ParleyCore
import ParleyKnowledge
import ParleyServer
import ParleyStore

/// `parley bench retrieval`: knowledge search at scale, through the product's own path (`HybridSearch` over the
/// store) on a synthetic corpus: full-text, vector and hybrid search, p50 and p99 each.
///
/// Questions come with their vectors, so the figures are the search's own; embedding a question is the embedder's
/// cost (`embed-bench`).
struct RetrievalBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Full-text, vector and hybrid knowledge search at scale on a synthetic corpus: p50 and p99.")

    @Option(help: "Chunks in the knowledge base.") var chunks = 100_000
    @Option(help: "Dimensions of the vectors.") var dimensions = 384
    @Option(help: "Questions per run.") var queries = 300
    @Option(help: "Runs; the report gives medians.") var runs = 3
    @Option(help: "Passages asked for per question.") var limit = 5
    @Option(help: "Search modes to measure, comma-separated: lexical, semantic, hybrid.")
    var modes = "lexical,semantic,hybrid"
    @Option(help: "Keep the SQLite database at this path (default: a temporary file, removed after).")
    var sqlitePath: String?
    @Option(help: "Also run on this PostgreSQL database (postgres://...), in a schema of its own created here.")
    var postgres: String?

    /// Answers the benchmark's questions with their precomputed vectors.
    struct PrecomputedEmbedder: EmbeddingProvider {
        let model: String
        let dimensions: Int
        let vectors: [String: [Float]]

        func embed(_ texts: [String]) async throws -> [[Float]] {
            texts.map { vectors[$0] ?? [Float](repeating: 0, count: dimensions) }
        }
    }

    func run() async throws {
        let building = ContinuousClock.now
        var corpus = SyntheticCorpus(chunks: chunks, dimensions: dimensions)
        let questions = corpus.questions(queries)
        print(
            "corpus: \(chunks) chunks of \(SyntheticCorpus.wordsPerChunk) words, \(dimensions) dimensions, made in "
                + "\(building.duration(to: .now))")
        let embedder = PrecomputedEmbedder(
            model: "synthetic-\(dimensions)", dimensions: dimensions,
            vectors: Dictionary(questions.map { ($0.text, $0.vector) }, uniquingKeysWith: { first, _ in first }))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = sqlitePath ?? directory.appendingPathComponent("bench.sqlite").path
        let loading = try await SQLiteStore.open(path: path, logger: BenchServer.logger)
        let loadTime = try await load(corpus, into: loading, embedder: embedder)
        // Reopened, so that searches read a checkpointed database as a running server does once its checkpointer
        // has caught up, not one whose every page is still looked up in a write-ahead log of the whole load.
        try await loading.close()
        let sqlite = try await SQLiteStore.open(path: path, logger: BenchServer.logger)
        try await measure("SQLite", store: sqlite, loadTime: loadTime, questions: questions, embedder: embedder)
        try await sqlite.close()
        if let postgres {
            let schema = "bench_retrieval_" + UUID().uuidString.prefix(8).lowercased()
            let url = postgres + (postgres.contains("?") ? "&" : "?") + "schema=\(schema)"
            let store = try await PostgresStore.open(PostgresConfiguration(url: url), logger: BenchServer.logger)
            let loadTime = try await load(corpus, into: store, embedder: embedder)
            try await measure("PostgreSQL", store: store, loadTime: loadTime, questions: questions, embedder: embedder)
            try await store.close()
        }
    }

    static let tenant = TenantID("bench")

    /// Stores the corpus as documents of 100 chunks each, with their vectors; returns the time it took.
    private func load(_ corpus: SyntheticCorpus, into store: any ParleyStore, embedder: PrecomputedEmbedder)
        async throws -> Duration
    {
        try await store.migrate()
        let tenant = Self.tenant
        try await store.tenants.create(
            Tenant(id: tenant, name: "Bench", widgetKey: "bench-\(UUID())", fallbackText: "", createdAt: Date()))
        let loading = ContinuousClock.now
        let perDocument = 100
        for first in stride(from: 0, to: corpus.chunks.count, by: perDocument) {
            let id = KnowledgeDocumentID.generate()
            let part = corpus.chunks[first..<min(first + perDocument, corpus.chunks.count)]
            let document = KnowledgeDocument(
                id: id, tenantID: tenant, kind: "text", sourceKey: "doc-\(first)", title: part.first?.title ?? "",
                url: nil, contentHash: "\(first)", version: 1, chunkCount: part.count, embeddingModel: embedder.model,
                createdAt: Date(), updatedAt: Date())
            let chunks = part.enumerated().map { offset, chunk in
                KnowledgeChunk(
                    id: "c\(first + offset)", tenantID: tenant, documentID: id, position: offset, title: chunk.title,
                    headingPath: [], url: nil, text: chunk.text, embedding: chunk.vector)
            }
            _ = try await store.knowledge.store(document, chunks: chunks)
        }
        return loading.duration(to: .now)
    }

    private func measure(
        _ name: String, store: any ParleyStore, loadTime: Duration, questions: [SyntheticCorpus.Question],
        embedder: PrecomputedEmbedder
    ) async throws {
        let tenant = Self.tenant
        let preparing = ContinuousClock.now
        try await store.knowledge.prepareSearch(tenant: tenant)
        print(
            "\(name): loaded in \(loadTime); full-text search ready in \(preparing.duration(to: .now)); "
                + "vector search \(store.knowledge.vectorSearch)")

        let modes = try self.modes.split(separator: ",").map { name in
            guard let mode = RetrievalMode(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--modes takes lexical, semantic and hybrid")
            }
            return mode
        }
        let searches = modes.map { HybridSearch(store: store.knowledge, embedder: embedder, mode: $0) }
        for search in searches {  // builds the in-process index, warms caches
            _ = try await search.search(questions[0].text, tenant: tenant, limit: limit)
        }
        var samples = [[Sample]](repeating: [], count: modes.count)
        var found = [Int](repeating: 0, count: modes.count)
        for _ in 0..<runs {
            for (slot, search) in searches.enumerated() {
                var sample = Sample()
                let started = ContinuousClock.now
                for question in questions {
                    let before = ContinuousClock.now
                    let result = try await search.search(question.text, tenant: tenant, limit: limit)
                    sample.add(before.duration(to: .now))
                    if result.passages.contains(where: { $0.chunkID == "c\(question.chunk)" }) { found[slot] += 1 }
                }
                sample.total = started.duration(to: .now)
                samples[slot].append(sample)
            }
        }
        for (slot, mode) in modes.enumerated() {
            let p50 = median(samples[slot].map { $0.quantileMicros(0.5) }) / 1_000
            let p99 = median(samples[slot].map { $0.quantileMicros(0.99) }) / 1_000
            print(
                "  \(name) \(mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))"
                    + String(
                        format: "p50 %7.2f ms   p99 %7.2f ms   question's chunk in top %d: %.1f%%", p50, p99, limit,
                        100 * Double(found[slot]) / Double(runs * questions.count)))
        }
        if let slot = modes.firstIndex(of: .hybrid) {
            let hybridP99 = median(samples[slot].map { $0.quantileMicros(0.99) }) / 1_000
            print("  \(name) hybrid p99 = " + String(format: "%.2f x the 15 ms goal", hybridP99 / 15))
        }
    }
}
