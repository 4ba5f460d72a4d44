import ParleyCore

/// A chunk found by the database's full-text search, with its relevance (higher is better).
public struct LexicalHit: Sendable, Equatable {
    public var chunk: KnowledgeChunk
    /// The engine's relevance score, made larger-is-better (SQLite: the negated bm25).
    public var score: Double

    /// Makes a hit.
    public init(chunk: KnowledgeChunk, score: Double) {
        self.chunk = chunk
        self.score = score
    }
}

/// A chunk's embedding, as the in-process vector index loads it.
public struct StoredEmbedding: Sendable, Equatable {
    public var chunkID: String
    public var vector: [Float]

    /// Makes a stored embedding.
    public init(chunkID: String, vector: [Float]) {
        self.chunkID = chunkID
        self.vector = vector
    }
}

/// Nearest chunks to a query vector found by the database's own vector index, and the similarity of other chunks
/// the caller asked about.
public struct VectorSearchResult: Sendable, Equatable {
    /// The nearest chunks, most similar first, with their cosine similarity.
    public var nearest: [(id: String, score: Float)]
    /// The cosine similarity of each asked-about chunk that has a vector from the model.
    public var similarities: [String: Float]

    /// Makes a result.
    public init(nearest: [(id: String, score: Float)], similarities: [String: Float]) {
        self.nearest = nearest
        self.similarities = similarities
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.nearest.map(\.id) == rhs.nearest.map(\.id) && lhs.nearest.map(\.score) == rhs.nearest.map(\.score)
            && lhs.similarities == rhs.similarities
    }
}

/// What storing a document did.
public enum KnowledgeStoreResult: Sendable, Equatable {
    /// The first content under its source key.
    case created(KnowledgeDocument)
    /// New content under an existing key: this version replaced the previous one.
    case replaced(KnowledgeDocument, previousVersion: Int)
    /// The key already held exactly this content; nothing changed.
    case unchanged(KnowledgeDocument)
}

extension KnowledgeStoreResult {
    /// The document as stored, whatever storing it did.
    public var document: KnowledgeDocument {
        switch self {
        case .created(let document), .replaced(let document, _), .unchanged(let document): document
        }
    }
}

/// How far a tenant's knowledge is embedded by one model: the progress of re-embedding after a change of model.
public struct EmbeddingCoverage: Sendable, Equatable {
    /// Every chunk of the tenant.
    public var chunks: Int
    /// The chunks with the model's vectors.
    public var embedded: Int

    /// Makes a coverage figure.
    public init(chunks: Int, embedded: Int) {
        self.chunks = chunks
        self.embedded = embedded
    }
}

/// Tenants' knowledge: documents, their chunks and vectors, and full-text search over them.
public protocol KnowledgeRepository: Sendable {
    /// Stores `document` with its chunks under its source key, atomically: a previous version's chunks leave
    /// search in the same step; the same content again changes nothing.
    func store(_ document: KnowledgeDocument, chunks: [KnowledgeChunk]) async throws -> KnowledgeStoreResult
    /// The tenant's documents, newest first.
    func documents(tenant: TenantID) async throws -> [KnowledgeDocument]
    /// One of the tenant's documents.
    func document(_ id: KnowledgeDocumentID, tenant: TenantID) async throws -> KnowledgeDocument?
    /// Deletes a document with its chunks and vectors; false when the tenant has no such document.
    func delete(_ id: KnowledgeDocumentID, tenant: TenantID) async throws -> Bool
    /// Chunks matching `query` by full-text search, best first. The query is plain visitor text, not a search
    /// expression: every word is matched literally.
    ///
    /// `language` is the asker's (ISO 639-1), when known. PostgreSQL reads the query with that language's
    /// text-search configuration and with those of the tenant's documents (each chunk's vector is built with its
    /// document's language); SQLite's FTS5 index stems English only and ignores it.
    func searchLexical(_ query: String, language: String?, tenant: TenantID, limit: Int) async throws
        -> [LexicalHit]
    /// Readies the tenant's full-text search, so that its next searches neither wait nor take a slower path: SQLite
    /// loads the tenant's term index into memory. Searching works without it; a server calls it at start.
    func prepareSearch(tenant: TenantID) async throws
    /// The tenant's chunks with these ids.
    func chunks(_ ids: [String], tenant: TenantID) async throws -> [KnowledgeChunk]
    /// Every embedding of the tenant's chunks made by `model`.
    func embeddings(tenant: TenantID, model: String) async throws -> [StoredEmbedding]
    /// Up to `limit` of the tenant's chunks with no vector from `model` (none, or another model's), in order.
    func chunksToEmbed(model: String, tenant: TenantID, limit: Int) async throws -> [KnowledgeChunk]
    /// How many chunks the tenant has, and how many of them carry `model`'s vectors.
    func embeddingCoverage(model: String, tenant: TenantID) async throws -> EmbeddingCoverage
    /// Replaces the vectors of the tenant's chunks with `model`'s, in one step: a document whose chunks all have
    /// them now records `model`, and the knowledge version moves (so in-process indexes rebuild).
    func replaceEmbeddings(_ vectors: [StoredEmbedding], model: String, tenant: TenantID) async throws
    /// Where semantic search runs: `pgvector` when the database indexes vectors itself, `in-process` when Parley
    /// loads them into its own index.
    var vectorSearch: String { get }
    /// The `limit` chunks of the tenant nearest to `vector` by cosine similarity among those embedded by `model`,
    /// with the similarity of the chunks in `scoring` too; nil when the database has no vector index (search in
    /// process instead).
    func nearest(
        to vector: [Float], model: String, tenant: TenantID, limit: Int, scoring: [String]
    ) async throws -> VectorSearchResult?
    /// A number that changes whenever the tenant's knowledge changes (caches key on it).
    func version(tenant: TenantID) async throws -> Int
}

extension KnowledgeRepository {
    /// Nothing to ready: the database's own engine answers at once.
    public func prepareSearch(tenant: TenantID) async throws {}

    /// Chunks matching `query` by full-text search, best first, the asker's language unknown.
    public func searchLexical(_ query: String, tenant: TenantID, limit: Int) async throws -> [LexicalHit] {
        try await searchLexical(query, language: nil, tenant: tenant, limit: limit)
    }
}
