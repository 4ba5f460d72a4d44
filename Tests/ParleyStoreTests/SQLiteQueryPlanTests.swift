import Testing

@testable import ParleyStore

/// The plans SQLite picks for queries whose obvious index was dropped; it runs without statistics (no ANALYZE), so a
/// plan that walks a whole tenant would only show as a slow admin view on a large database.
@Suite("SQLite query plans")
struct SQLiteQueryPlanTests {
    @Test("a conversation's turns are looked up by key through its messages, not by walking the tenant's turns")
    func conversationTurns() throws {
        let handle = try SQLiteHandle(path: ":memory:", readOnly: false)
        defer { handle.close() }
        for statement in SQLiteSchema.migrations.flatMap(\.statements) { try handle.execute(statement) }
        let plan = try handle.query("EXPLAIN QUERY PLAN " + SQLiteTurnRepository.conversationTurnsSQL)
            .compactMap { $0.column("detail")?.string }
        #expect(plan.contains { $0.contains("messages USING") && $0.contains("messages_conversation") }, "\(plan)")
        #expect(plan.contains { $0.contains("turns USING INDEX sqlite_autoindex_turns_1 (message_id=?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("turns_tenant_created") }, "\(plan)")
    }

    @Test("recording a model on documents looks only at the documents of the chunks just embedded, by key")
    func documentModels() throws {
        let handle = try SQLiteHandle(path: ":memory:", readOnly: false)
        defer { handle.close() }
        for statement in SQLiteSchema.migrations.flatMap(\.statements) { try handle.execute(statement) }
        let plan = try handle.query("EXPLAIN QUERY PLAN " + KnowledgeStatements.recordDocumentModels(chunks: 2))
            .compactMap { $0.column("detail")?.string }
        // No walk over a table, nor over the tenant's documents: each step finds its rows by key.
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        #expect(!plan.contains { $0.contains("knowledge_documents_source") }, "\(plan)")
        #expect(plan.contains { $0.contains("knowledge_chunks_document (tenant_id=? AND document_id=?)") }, "\(plan)")
    }
}
