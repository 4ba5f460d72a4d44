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

    /// Records the model on documents whose chunks all have its vectors.
    ///
    /// Binds: model, tenant, model.
    static let recordDocumentModels = """
        UPDATE knowledge_documents SET embedding_model = ?
        WHERE tenant_id = ? AND NOT EXISTS (
            SELECT 1 FROM knowledge_chunks c
            WHERE c.document_id = knowledge_documents.id AND (c.embedding_model IS NULL OR c.embedding_model <> ?))
        """

    /// `count` placeholders, comma-separated.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
