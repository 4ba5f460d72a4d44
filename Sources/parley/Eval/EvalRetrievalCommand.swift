import ArgumentParser
import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyKnowledge
import ParleyStore

/// `parley eval retrieval`: retrieval quality on a BEIR-format dataset, through the product's own path.
///
/// The corpus is ingested into a fresh SQLite store exactly as the knowledge API ingests it (chunked, embedded,
/// indexed by FTS5), then every query runs through `HybridSearch` in the chosen mode. Documents are ranked by
/// their best passage. It also prints how well the retrieval confidence predicts a relevant top hit.
struct EvalRetrievalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "MAP, nDCG@3, P@3 and Recall@5 of knowledge search on a BEIR dataset (corpus, queries, qrels).")

    @Option(help: "corpus.jsonl: one {\"_id\", \"title\", \"text\"} per line.") var corpus: String
    @Option(help: "queries.jsonl: one {\"_id\", \"text\"} per line.") var queries: String
    @Option(help: "qrels.tsv with the header query-id, corpus-id, score.") var qrels: String
    @Option(help: "lexical, semantic or hybrid.") var mode: String = "hybrid"
    @Option(help: "The all-MiniLM-L6-v2 directory; defaults to PARLEY_EMBED_MODEL.") var model: String?
    @Option(
        help: """
            An OpenAI-style embeddings API root (for example http://127.0.0.1:8080/v1) used instead of the built-in \
            model; with --embed-dimensions.
            """)
    var embedURL: String?
    @Option(help: "The model name sent to --embed-url.") var embedModelName = "all-MiniLM-L6-v2"
    @Option(help: "The dimensions of --embed-url's vectors.") var embedDimensions = 384
    @Option(help: "Passages retrieved per query.") var passages: Int = 10
    @Option(help: "The weight of the relative full-text score added to the cosine similarity in hybrid fusion.")
    var lexicalWeight: Double = HybridSearch.defaultLexicalWeight

    struct Summary: Encodable {
        var map: Double
        var ndcgAt3: Double
        var pAt3: Double
        var recallAt5: Double
        var p50Ms: Double
        var p99Ms: Double
        var docs: Int
        var queries: Int
        var mode: String

        enum CodingKeys: String, CodingKey {
            case map, docs, queries, mode
            case ndcgAt3 = "ndcg_at_3"
            case pAt3 = "p_at_3"
            case recallAt5 = "recall_at_5"
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
        }
    }

    func run() async throws {
        guard let mode = RetrievalMode(rawValue: mode) else {
            throw ValidationError("--mode must be lexical, semantic or hybrid")
        }
        let dataset = try BEIRDataset(
            corpus: URL(fileURLWithPath: corpus), queries: URL(fileURLWithPath: queries),
            qrels: URL(fileURLWithPath: qrels))
        var embedder: (any EmbeddingProvider)?
        if mode != .lexical, let embedURL {
            embedder = OpenAIEmbeddingProvider(
                endpoint: try .openAICompatible(baseURL: embedURL, apiKey: nil, operation: "embeddings"),
                model: embedModelName, dimensions: embedDimensions)
        } else if mode != .lexical {
            let directory = model ?? ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] ?? ""
            guard !directory.isEmpty else {
                throw ValidationError("--mode \(mode.rawValue) needs --model, PARLEY_EMBED_MODEL or --embed-url")
            }
            embedder = try MiniLMEmbedder(directory: URL(fileURLWithPath: directory))
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "parley.eval")
        logger.logLevel = .warning
        let store = try await SQLiteStore.open(
            path: directory.appendingPathComponent("eval.sqlite").path, logger: logger)
        try await store.migrate()
        let tenant = Tenant(
            id: .generate(), name: "eval", widgetKey: "eval-\(UUID().uuidString)", fallbackText: "", createdAt: Date())
        try await store.tenants.create(tenant)

        let ingestor = KnowledgeIngestor(store: store.knowledge, embedder: embedder)
        var corpusIDs: [String: String] = [:]
        let ingestStart = ContinuousClock.now
        for (index, document) in dataset.corpus.enumerated() {
            let result = try await ingestor.ingest(
                .init(content: .text(document.text), sourceKey: document.id, title: document.title), tenant: tenant.id)
            switch result {
            case .created(let stored), .replaced(let stored, _), .unchanged(let stored):
                corpusIDs[stored.id.rawValue] = document.id
            }
            if (index + 1) % 500 == 0 { FileHandle.standardError.write(Data("ingested \(index + 1)\n".utf8)) }
        }
        let ingestSeconds = Self.seconds(ContinuousClock.now - ingestStart)

        let search = HybridSearch(
            store: store.knowledge, embedder: embedder, mode: mode, lexicalWeight: lexicalWeight)
        var rankings: [String: [String]] = [:]
        var latencies: [Double] = []
        var calibration = RetrievalCalibration()
        for query in dataset.queries {
            let start = ContinuousClock.now
            let result = try await search.search(query.text, tenant: tenant.id, limit: passages)
            latencies.append(Self.seconds(ContinuousClock.now - start) * 1_000)
            var ranking: [String] = []
            for passage in result.passages {
                if let id = corpusIDs[passage.documentID], !ranking.contains(id) { ranking.append(id) }
            }
            rankings[query.id] = ranking
            let relevant = ranking.first.map { (dataset.qrels[query.id]?[$0] ?? 0) > 0 } ?? false
            calibration.samples.append(.init(confidence: result.confidence, topHitRelevant: relevant))
        }
        try await store.close()

        let scores = RetrievalMetrics.evaluate(rankings: rankings, qrels: dataset.qrels)
        latencies.sort()
        func quantile(_ q: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))]
        }
        var rows: [[String]] = [
            ["MAP", Self.format(scores.map)], ["nDCG@3", Self.format(scores.ndcgAt3)],
            ["P@3", Self.format(scores.precisionAt3)], ["Recall@5", Self.format(scores.recallAt5)],
            ["search p50 ms", Self.format(quantile(0.5))], ["search p99 ms", Self.format(quantile(0.99))],
            ["ingest docs/s", Self.format(Double(dataset.corpus.count) / max(ingestSeconds, 1e-9))],
        ]
        for band in calibration.bands() where band.count > 0 {
            rows.append([
                "confidence \(Self.format(band.lower))+",
                "\(band.relevant)/\(band.count) top-1 relevant",
            ])
        }
        let threshold = calibration.coverage(at: RetrievalConfidence.defaultThreshold)
        rows.append([
            "at threshold \(RetrievalConfidence.defaultThreshold)",
            "answers \(Self.format(threshold.coverage * 100))% at \(Self.format(threshold.precision)) top-1 precision",
        ])
        try EvalReport(
            header: ["\(mode.rawValue) retrieval", "value"], rows: rows,
            summary: Summary(
                map: Self.round(scores.map), ndcgAt3: Self.round(scores.ndcgAt3), pAt3: Self.round(scores.precisionAt3),
                recallAt5: Self.round(scores.recallAt5), p50Ms: Self.round(quantile(0.5)),
                p99Ms: Self.round(quantile(0.99)), docs: dataset.corpus.count, queries: dataset.queries.count,
                mode: mode.rawValue)
        ).print()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ value: Double) -> String { String(format: "%.4f", value) }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
