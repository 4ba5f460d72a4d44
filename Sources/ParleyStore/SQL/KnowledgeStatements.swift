import ParleyCore

/// The knowledge tables' insert columns and values, shared by both stores; each store adds its own columns
/// (PostgreSQL's text-search configuration and vector column).
enum KnowledgeStatements {
    /// The document columns `documentValues` fills, in order.
    static let documentColumns = """
        id, tenant_id, kind, source_key, title, url, content_hash, version, chunk_count, embedding_model, language,
        created_at, updated_at
        """

    /// The values of `documentColumns` for a document.
    static func documentValues(_ document: KnowledgeDocument) -> [SQLValue] {
        [
            .text(document.id.rawValue), .text(document.tenantID.rawValue), .text(document.kind),
            .text(document.sourceKey), .text(document.title), SQLValues.text(document.url),
            .text(document.contentHash), .integer(document.version), .integer(document.chunkCount),
            SQLValues.text(document.embeddingModel), SQLValues.text(document.language),
            SQLValues.date(document.createdAt), SQLValues.date(document.updatedAt),
        ]
    }

    /// The chunk columns `chunkValues` fills, in order.
    static let chunkColumns = "id, tenant_id, document_id, position, title, heading_path, url, text, embedding"

    /// The values of `chunkColumns` for a chunk of `document`.
    static func chunkValues(_ chunk: KnowledgeChunk, document: KnowledgeDocumentID) throws -> [SQLValue] {
        [
            .text(chunk.id), .text(chunk.tenantID.rawValue), .text(document.rawValue),
            .integer(chunk.position), .text(chunk.title), try SQLValues.json(chunk.headingPath),
            SQLValues.text(chunk.url), .text(chunk.text),
            chunk.embedding.map { .blob(SQLValues.bytes(of: $0)) } ?? .null,
        ]
    }

    /// Binds: tenant, model, limit.
    static let chunksToEmbed = """
        SELECT * FROM knowledge_chunks WHERE tenant_id = ? AND (embedding_model IS NULL OR embedding_model <> ?)
        ORDER BY seq LIMIT ?
        """

    /// Counts a tenant's chunks, and those with a model's vectors.
    ///
    /// Binds: model, tenant.
    static let embeddingCoverage = """
        SELECT COUNT(*) AS chunks, COUNT(CASE WHEN embedding_model = ? THEN 1 END) AS embedded
        FROM knowledge_chunks WHERE tenant_id = ?
        """

    /// Records the model on the documents of `chunks` chunks just given its vectors, once all their chunks have them.
    ///
    /// Only those documents are looked at, by key, and their chunks through the `(tenant_id, document_id)` index: a
    /// pass over every document of the tenant for each batch held the one writer for minutes on a large knowledge
    /// base. The tenant is checked through `COALESCE` (the column is never null) so that no planner walks the
    /// tenant's documents by their `tenant_id` index instead. `recordDocumentModelsBinds` gives the values.
    static func recordDocumentModels(chunks: Int) -> String {
        """
        UPDATE knowledge_documents SET embedding_model = ?
        WHERE COALESCE(tenant_id, '') = ? AND id IN (
            SELECT document_id FROM knowledge_chunks WHERE tenant_id = ? AND id IN (\(placeholders(chunks))))
        AND NOT EXISTS (
            SELECT 1 FROM knowledge_chunks c
            WHERE c.tenant_id = knowledge_documents.tenant_id AND c.document_id = knowledge_documents.id
            AND (c.embedding_model IS NULL OR c.embedding_model <> ?))
        """
    }

    /// The values of `recordDocumentModels` for the chunks `chunkIDs` given vectors of `model`.
    static func recordDocumentModelsBinds(model: String, tenant: TenantID, chunkIDs: [String]) -> [SQLValue] {
        [.text(model), .text(tenant.rawValue), .text(tenant.rawValue)] + chunkIDs.map { .text($0) } + [.text(model)]
    }

    /// `count` placeholders, comma-separated.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
