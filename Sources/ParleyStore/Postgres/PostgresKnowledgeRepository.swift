import Foundation
import ParleyCore

/// Knowledge documents and chunks in PostgreSQL, searched through their `tsvector` column and its GIN index.
struct PostgresKnowledgeRepository: KnowledgeRepository {
    let database: PostgresDatabase
    let vectors: PostgresVectors

    func store(_ document: KnowledgeDocument, chunks: [KnowledgeChunk]) async throws -> KnowledgeStoreResult {
        let withVectors = vectors.enabled
        let model = document.embeddingModel
        let configuration = SQLValue.text(PostgresTextSearch.configuration(for: document.language))
        if let model, let dimensions = chunks.first(where: { $0.embedding != nil })?.embedding?.count {
            try await vectors.ensureIndex(model: model, dimensions: dimensions, database)
        }
        let insertChunk = withVectors ? Self.insertChunkWithVectorSQL : Self.insertChunkSQL
        return try await database.transaction(scope: .tenant(document.tenantID)) { transaction in
            try await Self.lockKnowledge(tenant: document.tenantID, transaction)
            let existing = try await transaction.query(
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
                try await transaction.query(
                    "DELETE FROM knowledge_chunks WHERE tenant_id = ? AND document_id = ?",
                    [.text(document.tenantID.rawValue), .text(existing.id.rawValue)])
                try await transaction.query(
                    "DELETE FROM knowledge_documents WHERE id = ? AND tenant_id = ?",
                    [.text(existing.id.rawValue), .text(document.tenantID.rawValue)])
            }
            try await transaction.query(
                Self.insertDocumentSQL, KnowledgeStatements.documentValues(stored) + [configuration])
            for chunk in chunks {
                let vector: [SQLValue] =
                    withVectors ? [chunk.embedding.map { .text(PostgresVectors.literal($0)) } ?? .null] : []
                try await transaction.query(
                    insertChunk,
                    try KnowledgeStatements.chunkValues(chunk, document: stored.id) + vector
                        + [SQLValues.text(model), configuration])
            }
            try await Self.bumpVersion(tenant: document.tenantID, transaction)
            if let existing { return .replaced(stored, previousVersion: existing.version) }
            return .created(stored)
        }
    }

    func documents(tenant: TenantID) async throws -> [KnowledgeDocument] {
        try await database.query(
            "SELECT * FROM knowledge_documents WHERE tenant_id = ? ORDER BY updated_at DESC, id",
            [.text(tenant.rawValue)], scope: .tenant(tenant)
        ).map(StoredRows.document)
    }

    func document(_ id: KnowledgeDocumentID, tenant: TenantID) async throws -> KnowledgeDocument? {
        try await database.query(
            "SELECT * FROM knowledge_documents WHERE id = ? AND tenant_id = ?",
            [.text(id.rawValue), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).first.map(StoredRows.document)
    }

    func delete(_ id: KnowledgeDocumentID, tenant: TenantID) async throws -> Bool {
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            let deleted = try await transaction.query(
                "DELETE FROM knowledge_documents WHERE id = ? AND tenant_id = ? RETURNING id",
                [.text(id.rawValue), .text(tenant.rawValue)])
            guard !deleted.isEmpty else { return false }
            try await Self.bumpVersion(tenant: tenant, transaction)
            return true
        }
    }

    func searchLexical(_ query: String, language: String?, tenant: TenantID, limit: Int) async throws -> [LexicalHit] {
        guard let expression = Self.queryExpression(query) else { return [] }
        // The query read in the asker's language and in each language of the tenant's documents, OR-ed: a chunk
        // matches where its own language's stems meet the query's (`parley_tsquery_any` folds with `||`).
        return try await database.query(
            """
            SELECT c.*, ts_rank_cd(c.search, q.query, 1) AS relevance
            FROM knowledge_chunks c, (
                SELECT parley_tsquery_any(to_tsquery(configs.config, ?)) AS query FROM (
                    SELECT ?::regconfig AS config
                    UNION SELECT DISTINCT search_config FROM knowledge_documents WHERE tenant_id = ?
                ) configs
            ) q
            WHERE c.tenant_id = ? AND c.search @@ q.query
            ORDER BY relevance DESC, c.seq LIMIT ?
            """,
            [
                .text(expression), .text(PostgresTextSearch.configuration(for: language)), .text(tenant.rawValue),
                .text(tenant.rawValue), .integer(max(0, limit)),
            ], scope: .tenant(tenant)
        ).map { row in LexicalHit(chunk: try StoredRows.chunk(row), score: row.column("relevance")?.double ?? 0) }
    }

    func chunks(_ ids: [String], tenant: TenantID) async throws -> [KnowledgeChunk] {
        guard !ids.isEmpty else { return [] }
        let placeholders = KnowledgeStatements.placeholders(ids.count)
        let rows = try await database.query(
            "SELECT * FROM knowledge_chunks WHERE tenant_id = ? AND id IN (\(placeholders))",
            [.text(tenant.rawValue)] + ids.map { .text($0) }, scope: .tenant(tenant))
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
            [.text(tenant.rawValue), .text(model)], scope: .tenant(tenant)
        ).map { row in
            guard case .blob(let bytes) = row.column("embedding") else { throw SQLColumnError(column: "embedding") }
            return StoredEmbedding(chunkID: try row.string("id"), vector: SQLValues.floats(bytes))
        }
    }

    var vectorSearch: String { vectors.enabled ? "pgvector" : "in-process" }

    func nearest(
        to vector: [Float], model: String, tenant: TenantID, limit: Int, scoring: [String]
    ) async throws -> VectorSearchResult? {
        guard vectors.enabled, !vector.isEmpty else { return nil }
        let dimensions = vector.count
        try await vectors.ensureIndex(model: model, dimensions: dimensions, database)
        let literal = SQLValue.text(PostgresVectors.literal(vector))
        let typed = "(embedding_vector::vector(\(dimensions)))"
        let efSearch = vectors.efSearch
        return try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await transaction.query("SET LOCAL hnsw.ef_search = \(efSearch)")
            let nearest = try await transaction.query(
                """
                SELECT id, 1 - (\(typed) <=> ?::vector(\(dimensions))) AS similarity FROM knowledge_chunks
                WHERE tenant_id = ? AND embedding_model = ? AND embedding_vector IS NOT NULL
                ORDER BY \(typed) <=> ?::vector(\(dimensions)) LIMIT ?
                """, [literal, .text(tenant.rawValue), .text(model), literal, .integer(max(0, limit))]
            ).map { (id: try $0.string("id"), score: Float($0.column("similarity")?.double ?? 0)) }
            var similarities: [String: Float] = [:]
            if !scoring.isEmpty {
                let placeholders = KnowledgeStatements.placeholders(scoring.count)
                for row in try await transaction.query(
                    """
                    SELECT id, 1 - (\(typed) <=> ?::vector(\(dimensions))) AS similarity FROM knowledge_chunks
                    WHERE tenant_id = ? AND embedding_model = ? AND embedding_vector IS NOT NULL
                        AND id IN (\(placeholders))
                    """, [literal, .text(tenant.rawValue), .text(model)] + scoring.map { .text($0) })
                {
                    similarities[try row.string("id")] = Float(row.column("similarity")?.double ?? 0)
                }
            }
            return VectorSearchResult(nearest: nearest, similarities: similarities)
        }
    }

    func chunksToEmbed(model: String, tenant: TenantID, limit: Int) async throws -> [KnowledgeChunk] {
        try await database.query(
            KnowledgeStatements.chunksToEmbed, [.text(tenant.rawValue), .text(model), .integer(max(0, limit))],
            scope: .tenant(tenant)
        ).map(StoredRows.chunk)
    }

    func embeddingCoverage(model: String, tenant: TenantID) async throws -> EmbeddingCoverage {
        let row = try await database.query(
            KnowledgeStatements.embeddingCoverage, [.text(model), .text(tenant.rawValue)], scope: .tenant(tenant)
        ).first
        return EmbeddingCoverage(chunks: try row?.int("chunks") ?? 0, embedded: try row?.int("embedded") ?? 0)
    }

    func replaceEmbeddings(_ replacements: [StoredEmbedding], model: String, tenant: TenantID) async throws {
        let withVectors = vectors.enabled && !replacements.isEmpty
        if withVectors, let dimensions = replacements.first?.vector.count {
            try await vectors.ensureIndex(model: model, dimensions: dimensions, database)
        }
        let update =
            withVectors
            ? "UPDATE knowledge_chunks SET embedding = ?, embedding_model = ?, embedding_vector = ?::vector "
                + "WHERE id = ? AND tenant_id = ?"
            : "UPDATE knowledge_chunks SET embedding = ?, embedding_model = ? WHERE id = ? AND tenant_id = ?"
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            for replacement in replacements {
                var binds: [SQLValue] = [.blob(SQLValues.bytes(of: replacement.vector)), .text(model)]
                if withVectors { binds.append(.text(PostgresVectors.literal(replacement.vector))) }
                try await transaction.query(update, binds + [.text(replacement.chunkID), .text(tenant.rawValue)])
            }
            if !replacements.isEmpty {
                try await transaction.query(
                    KnowledgeStatements.recordDocumentModels(chunks: replacements.count),
                    KnowledgeStatements.recordDocumentModelsBinds(
                        model: model, tenant: tenant, chunkIDs: replacements.map(\.chunkID)))
            }
            try await Self.bumpVersion(tenant: tenant, transaction)
        }
    }

    func version(tenant: TenantID) async throws -> Int {
        try await database.query(
            "SELECT version FROM knowledge_versions WHERE tenant_id = ?", [.text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).first?.int("version") ?? 0
    }

    // MARK: - Rows

    /// Serialises the writes to a tenant's documents (a source key's version, the knowledge version).
    static func lockKnowledge(tenant: TenantID, _ transaction: PostgresTransaction) async throws {
        try await transaction.lock("parley.knowledge.\(tenant.rawValue)")
    }

    static func bumpVersion(tenant: TenantID, _ transaction: PostgresTransaction) async throws {
        try await transaction.query(
            """
            INSERT INTO knowledge_versions (tenant_id, version) VALUES (?, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET version = knowledge_versions.version + 1
            """, [.text(tenant.rawValue)])
    }

    /// A `tsquery` that matches any of the text's words, each quoted so no visitor text is ever syntax.
    static func queryExpression(_ text: String) -> String? {
        let words = text.split { !$0.isLetter && !$0.isNumber }.prefix(64)
        guard !words.isEmpty else { return nil }
        return words.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: " | ")
    }

    private static let insertDocumentSQL = """
        INSERT INTO knowledge_documents (\(KnowledgeStatements.documentColumns), search_config)
        VALUES (\(KnowledgeStatements.placeholders(13)), ?::regconfig)
        """

    private static let insertChunkSQL = """
        INSERT INTO knowledge_chunks (\(KnowledgeStatements.chunkColumns), embedding_model, search_config)
        VALUES (\(KnowledgeStatements.placeholders(10)), ?::regconfig)
        """

    private static let insertChunkWithVectorSQL = """
        INSERT INTO knowledge_chunks (\(KnowledgeStatements.chunkColumns), embedding_vector, embedding_model,
            search_config)
        VALUES (\(KnowledgeStatements.placeholders(9)), ?::vector, ?, ?::regconfig)
        """
}
