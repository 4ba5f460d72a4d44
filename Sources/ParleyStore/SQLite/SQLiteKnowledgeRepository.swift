import Foundation
import ParleyCore

/// Knowledge documents and chunks in SQLite, searched through each tenant's in-memory term index (FTS5's terms, BM25).
struct SQLiteKnowledgeRepository: KnowledgeRepository {
    let database: SQLiteDatabase
    /// Each tenant's full-text index in memory, which ranks its searches.
    let termIndexes: SQLiteTermIndexes

    func store(_ document: KnowledgeDocument, chunks: [KnowledgeChunk]) async throws -> KnowledgeStoreResult {
        let model = document.embeddingModel
        return try await database.transaction { transaction in
            let existing = try transaction.query(
                "SELECT * FROM knowledge_documents WHERE tenant_id = ? AND source_key = ?",
                [.text(document.tenantID.rawValue), .text(document.sourceKey)]
            ).first.map(StoredRows.document)
            if let existing, existing.contentHash == document.contentHash, existing.embeddingModel == model {
                return .unchanged(existing)
            }
            var stored = document
            if let existing {
                // The new version takes the old one's place: its chunks leave the index with it, in this step.
                stored.id = existing.id
                stored.version = existing.version + 1
                stored.createdAt = existing.createdAt
                try transaction.query(
                    "DELETE FROM knowledge_chunks WHERE tenant_id = ? AND document_id = ?",
                    [.text(document.tenantID.rawValue), .text(existing.id.rawValue)])
                try transaction.query(
                    "DELETE FROM knowledge_documents WHERE id = ? AND tenant_id = ?",
                    [.text(existing.id.rawValue), .text(document.tenantID.rawValue)])
            }
            try transaction.query(Self.insertDocumentSQL, KnowledgeStatements.documentValues(stored))
            for chunk in chunks {
                try transaction.query(
                    Self.insertChunkSQL,
                    try KnowledgeStatements.chunkValues(chunk, document: stored.id) + [SQLValues.text(model)])
            }
            try Self.bumpVersion(tenant: document.tenantID, transaction)
            if let existing { return .replaced(stored, previousVersion: existing.version) }
            return .created(stored)
        }
    }

    func documents(tenant: TenantID) async throws -> [KnowledgeDocument] {
        try await database.query(
            "SELECT * FROM knowledge_documents WHERE tenant_id = ? ORDER BY updated_at DESC, id",
            [.text(tenant.rawValue)]
        ).map(StoredRows.document)
    }

    func document(_ id: KnowledgeDocumentID, tenant: TenantID) async throws -> KnowledgeDocument? {
        try await database.query(
            "SELECT * FROM knowledge_documents WHERE id = ? AND tenant_id = ?",
            [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.document)
    }

    func delete(_ id: KnowledgeDocumentID, tenant: TenantID) async throws -> Bool {
        try await database.transaction { transaction in
            let deleted = try transaction.query(
                "DELETE FROM knowledge_documents WHERE id = ? AND tenant_id = ? RETURNING id",
                [.text(id.rawValue), .text(tenant.rawValue)])
            guard !deleted.isEmpty else { return false }
            try Self.bumpVersion(tenant: tenant, transaction)
            return true
        }
    }

    func searchLexical(_ query: String, language: String?, tenant: TenantID, limit: Int) async throws -> [LexicalHit] {
        let words = Self.words(of: query)
        guard !words.isEmpty, limit > 0 else { return [] }
        let version = try await version(tenant: tenant)
        let index: TermIndex?
        do {
            index = try await termIndexes.index(tenant: tenant, version: version)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            index = nil  // a build that failed: FTS5 answers this search, and the next search builds again
        }
        return try await database.read { handle in
            guard let index else {
                // A large tenant's first index is still being built (or its build failed): FTS5 ranks every match.
                return try Self.rankEveryMatch(Self.anyOf(words), tenant: tenant, limit: limit, handle)
            }
            let tokenizer = try handle.knowledgeTokenizer()
            let hits = index.search(words.flatMap(tokenizer.terms(of:)), limit: limit)
            return try Self.lexicalHits(hits, tenant: tenant, handle)
        }
    }

    func prepareSearch(tenant: TenantID) async throws {
        _ = try await termIndexes.index(tenant: tenant, version: try await version(tenant: tenant), waiting: true)
    }

    /// The words of `text` a full-text query searches for: runs of letters and digits, at most 64.
    static func words(of text: String) -> [String] {
        text.split { !$0.isLetter && !$0.isNumber }.prefix(64).map(String.init)
    }

    /// An FTS5 expression matching any of `words`, each quoted so that no visitor text is ever syntax.
    static func anyOf(_ words: [String]) -> String {
        words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
    }

    /// The chunks of `hits`, in their order, with their scores.
    private static func lexicalHits(_ hits: [TermIndex.Hit], tenant: TenantID, _ handle: SQLiteHandle) throws
        -> [LexicalHit]
    {
        guard !hits.isEmpty else { return [] }
        // `+tenant_id` keeps the planner on the primary key: through the tenant's index it would read every chunk.
        let rows = try handle.query(
            "SELECT * FROM knowledge_chunks WHERE seq IN (\(KnowledgeStatements.placeholders(hits.count))) AND +tenant_id = ?",
            hits.map { .integer($0.seq) } + [.text(tenant.rawValue)])
        var chunks: [Int: KnowledgeChunk] = [:]
        for row in rows { chunks[try row.int("seq")] = try StoredRows.chunk(row) }
        return hits.compactMap { hit in chunks[hit.seq].map { LexicalHit(chunk: $0, score: hit.score) } }
    }

    /// Ranks every match of `expression` with FTS5's `bm25()`.
    ///
    /// For a large tenant whose first term index is still being built, or whose build failed.
    private static func rankEveryMatch(_ expression: String, tenant: TenantID, limit: Int, _ handle: SQLiteHandle)
        throws -> [LexicalHit]
    {
        let hit = { (row: SQLRow) in
            LexicalHit(chunk: try StoredRows.chunk(row), score: row.column("relevance")?.double ?? 0)
        }
        // First the best matches of the whole index, ranked by FTS5 alone, and only those joined to their chunks:
        // joining every match before ranking read each matching chunk's row (at 100,000 chunks, 3x slower). When
        // `limit` of them are the tenant's, they are its best, since its other matches rank below all of them.
        let window = max(limit * 10, 200)
        let ranked = try handle.query(
            """
            SELECT c.*, f.relevance FROM (
                SELECT rowid, -bm25(knowledge_fts, 0.5, 1.0) AS relevance FROM knowledge_fts
                WHERE knowledge_fts MATCH ? ORDER BY bm25(knowledge_fts, 0.5, 1.0), rowid LIMIT ?
            ) f JOIN knowledge_chunks c ON c.seq = f.rowid WHERE c.tenant_id = ?
            ORDER BY f.relevance DESC, c.seq LIMIT ?
            """,
            [.text(expression), .integer(window), .text(tenant.rawValue), .integer(limit)]
        ).map(hit)
        if ranked.count >= limit { return ranked }
        // Other tenants' chunks filled the window, or there are fewer matches than `limit`: rank the tenant's own.
        return try handle.query(
            """
            SELECT c.*, -bm25(knowledge_fts, 0.5, 1.0) AS relevance
            FROM knowledge_fts JOIN knowledge_chunks c ON c.seq = knowledge_fts.rowid
            WHERE knowledge_fts MATCH ? AND c.tenant_id = ?
            ORDER BY bm25(knowledge_fts, 0.5, 1.0), c.seq LIMIT ?
            """,
            [.text(expression), .text(tenant.rawValue), .integer(limit)]
        ).map(hit)
    }

    func chunks(_ ids: [String], tenant: TenantID) async throws -> [KnowledgeChunk] {
        guard !ids.isEmpty else { return [] }
        let placeholders = KnowledgeStatements.placeholders(ids.count)
        let rows = try await database.query(
            // `+tenant_id` keeps the planner on the unique id index: through the (tenant, document) index it would
            // read every chunk of the tenant (200 ms at 100,000 chunks).
            "SELECT * FROM knowledge_chunks WHERE +tenant_id = ? AND id IN (\(placeholders))",
            [.text(tenant.rawValue)] + ids.map { .text($0) })
        let byID = Dictionary(
            try rows.map(StoredRows.chunk).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    func embeddings(tenant: TenantID, model: String) async throws -> [StoredEmbedding] {
        try await database.query(
            """
            SELECT id, embedding FROM knowledge_chunks
            WHERE tenant_id = ? AND embedding_model = ? AND embedding IS NOT NULL ORDER BY seq
            """,
            [.text(tenant.rawValue), .text(model)]
        ).map { row in
            guard case .blob(let bytes) = row.column("embedding") else { throw SQLColumnError(column: "embedding") }
            return StoredEmbedding(chunkID: try row.string("id"), vector: SQLValues.floats(bytes))
        }
    }

    var vectorSearch: String { "in-process" }

    func nearest(
        to vector: [Float], model: String, tenant: TenantID, limit: Int, scoring: [String]
    ) async throws -> VectorSearchResult? { nil }

    func chunksToEmbed(model: String, tenant: TenantID, limit: Int) async throws -> [KnowledgeChunk] {
        try await database.query(
            KnowledgeStatements.chunksToEmbed, [.text(tenant.rawValue), .text(model), .integer(max(0, limit))]
        ).map(StoredRows.chunk)
    }

    func embeddingCoverage(model: String, tenant: TenantID) async throws -> EmbeddingCoverage {
        let row = try await database.query(
            KnowledgeStatements.embeddingCoverage, [.text(model), .text(tenant.rawValue)]
        ).first
        return EmbeddingCoverage(chunks: try row?.int("chunks") ?? 0, embedded: try row?.int("embedded") ?? 0)
    }

    func replaceEmbeddings(_ vectors: [StoredEmbedding], model: String, tenant: TenantID) async throws {
        try await database.transaction { transaction in
            for vector in vectors {
                try transaction.query(
                    "UPDATE knowledge_chunks SET embedding = ?, embedding_model = ? WHERE id = ? AND tenant_id = ?",
                    [
                        .blob(SQLValues.bytes(of: vector.vector)), .text(model), .text(vector.chunkID),
                        .text(tenant.rawValue),
                    ])
            }
            if !vectors.isEmpty {
                try transaction.query(
                    KnowledgeStatements.recordDocumentModels(chunks: vectors.count),
                    KnowledgeStatements.recordDocumentModelsBinds(
                        model: model, tenant: tenant, chunkIDs: vectors.map(\.chunkID)))
            }
            try Self.bumpVersion(tenant: tenant, transaction)
        }
    }

    func version(tenant: TenantID) async throws -> Int {
        try await database.query(
            "SELECT version FROM knowledge_versions WHERE tenant_id = ?", [.text(tenant.rawValue)]
        ).first?.int("version") ?? 0
    }

    // MARK: - Rows

    static func bumpVersion(tenant: TenantID, _ transaction: SQLiteTransaction) throws {
        try transaction.query(
            """
            INSERT INTO knowledge_versions (tenant_id, version) VALUES (?, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1
            """, [.text(tenant.rawValue)])
    }

    private static let insertDocumentSQL = """
        INSERT INTO knowledge_documents (\(KnowledgeStatements.documentColumns))
        VALUES (\(KnowledgeStatements.placeholders(13)))
        """

    private static let insertChunkSQL = """
        INSERT INTO knowledge_chunks (\(KnowledgeStatements.chunkColumns), embedding_model)
        VALUES (\(KnowledgeStatements.placeholders(10)))
        """
}
