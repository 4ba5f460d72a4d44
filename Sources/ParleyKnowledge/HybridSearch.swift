import ParleyAI
import ParleyCore
import ParleyStore

/// A tenant's knowledge search: full-text (the database's engine) and semantic (the in-process vector index),
/// fused by score, with a calibrated confidence.
///
/// Fusion adds a tenth of each candidate's relative full-text score to its cosine similarity
/// (`RankFusion.scores`). Measured with `parley eval retrieval` on two FAQ sets built from Banking77 and
/// CLINC150, it beats both retrievers alone (MAP 0.868 against semantic 0.853 and lexical 0.732; 0.890 against
/// 0.873 and 0.778), where reciprocal rank fusion fell below semantic search on both, at any weight tried.
///
/// A tenant without an embedder is searched lexically only, and says so in each passage's `foundBy`. Semantic search runs in
/// the database when it indexes vectors itself (pgvector); otherwise the vector index of a tenant is built in process
/// from the stored embeddings on first use and rebuilt when the tenant's knowledge version moves.
public struct HybridSearch: KnowledgeSearching {
    private let store: any KnowledgeRepository
    private let embedders: any EmbedderSource
    private let indexes: TenantVectorIndexes
    private let mode: RetrievalMode
    private let confidence: RetrievalConfidence
    private let lexicalWeight: Double

    /// The weight of the relative full-text score added to the cosine similarity in the fusion.
    public static let defaultLexicalWeight = 0.1

    /// How long a question's embedding may take before the search goes on with full text alone.
    public static let queryEmbeddingDeadline = Duration.seconds(2)

    /// How many hits each retriever contributes to the fusion.
    public static let candidates = 20

    /// Makes a search over `store` reading each tenant's questions with that tenant's embedder; a tenant without
    /// one is searched lexically.
    public init(
        store: any KnowledgeRepository, embedders: any EmbedderSource, mode: RetrievalMode = .hybrid,
        confidence: RetrievalConfidence = RetrievalConfidence(), lexicalWeight: Double = Self.defaultLexicalWeight
    ) {
        self.lexicalWeight = lexicalWeight
        self.store = store
        self.embedders = embedders
        self.indexes = TenantVectorIndexes(store: store)
        self.mode = mode
        self.confidence = confidence
    }

    /// Makes a search over `store` with one embedder for every tenant; `embedder` nil means lexical only.
    public init(
        store: any KnowledgeRepository, embedder: (any EmbeddingProvider)?, mode: RetrievalMode = .hybrid,
        confidence: RetrievalConfidence = RetrievalConfidence(), lexicalWeight: Double = Self.defaultLexicalWeight
    ) {
        self.init(
            store: store, embedders: SingleEmbedder(embedder), mode: mode, confidence: confidence,
            lexicalWeight: lexicalWeight)
    }

    public func search(_ query: String, language: String?, tenant: TenantID, limit: Int) async throws
        -> KnowledgeSearchResult
    {
        let embedder = self.mode == .lexical ? nil : try await embedder(of: tenant)
        let planned = embedder == nil ? RetrievalMode.lexical : self.mode
        let words = LexicalTerms.searchQuery(for: query)
        // Full-text search runs beside the question's embedding and the in-process vector scan, so the slower of
        // the two sets the time rather than their sum.
        async let lexicalHits =
            planned == .semantic
            ? [] : store.searchLexical(words, language: language, tenant: tenant, limit: Self.candidates)
        var mode = planned
        var queryVector: [Float]?
        if mode != .lexical, let embedder {
            queryVector = try await embedder.embedding(of: query, deadline: Self.queryEmbeddingDeadline)
            // An embedder that fails or is late leaves the words: the turn still finds what they match.
            if queryVector == nil { mode = .lexical }
        }
        var semantic: [(id: String, score: Float)] = []
        var similarity: (String) -> Float? = { _ in nil }
        let vectorsInDatabase = store.vectorSearch != "in-process"
        if mode != .lexical, !vectorsInDatabase, let embedder, let vector = queryVector {
            let index = try await indexes.index(tenant: tenant, model: embedder.model, dimensions: embedder.dimensions)
            semantic = index.search(vector, k: Self.candidates)
            similarity = { index.similarity(of: $0, to: vector) }
        }
        var hits = try await lexicalHits
        if planned == .semantic, mode == .lexical {
            hits = try await store.searchLexical(words, language: language, tenant: tenant, limit: Self.candidates)
        }
        var chunks: [String: KnowledgeChunk] = [:]
        let lexical = hits.map { hit -> (id: String, score: Double) in
            chunks[hit.chunk.id] = hit.chunk
            return (hit.chunk.id, hit.score)
        }
        if mode != .lexical, vectorsInDatabase, let embedder, let vector = queryVector,
            let found = try await store.nearest(
                to: vector, model: embedder.model, tenant: tenant, limit: Self.candidates,
                scoring: mode == .hybrid ? lexical.map(\.id) : [])
        {
            semantic = found.nearest
            similarity = { found.similarities[$0] }
        }
        let fused: [(id: String, score: Double)] =
            switch mode {
            case .lexical: lexical
            case .semantic: semantic.map { ($0.id, Double($0.score)) }
            case .hybrid:
                RankFusion.scores(
                    lexical: lexical, semantic: semantic, lexicalWeight: lexicalWeight, similarity: similarity)
            }
        let top = Array(fused.prefix(max(0, limit)))
        let missing = top.map(\.id).filter { chunks[$0] == nil }
        for chunk in try await store.chunks(missing, tenant: tenant) { chunks[chunk.id] = chunk }
        let lexicalIDs = Set(lexical.map(\.id))
        let semanticIDs = Set(semantic.map(\.id))
        let passages = top.compactMap { hit -> Passage? in
            guard let chunk = chunks[hit.id] else { return nil }
            var foundBy: [String] = []
            if lexicalIDs.contains(hit.id) { foundBy.append("lexical") }
            if semanticIDs.contains(hit.id) { foundBy.append("semantic") }
            return Passage(
                chunkID: chunk.id, documentID: chunk.documentID.rawValue, title: chunk.title,
                headingPath: chunk.headingPath, url: chunk.url, text: chunk.text, score: hit.score, foundBy: foundBy)
        }
        let signals = RetrievalSignals(lexical: mode == .semantic ? [] : lexical, semantic: semantic)
        return KnowledgeSearchResult(
            passages: passages, confidence: passages.isEmpty ? 0 : confidence.confidence(for: signals),
            mode: mode.rawValue)
    }

    /// The tenant's embedder, or nil when it cannot be had (a key that no longer opens, a broken endpoint setting):
    /// the search then goes on with full text rather than failing the turn.
    private func embedder(of tenant: TenantID) async throws -> (any EmbeddingProvider)? {
        do {
            return try await embedders.embedder(for: tenant)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return nil
        }
    }
}
