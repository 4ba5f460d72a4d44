import Foundation
import ParleyCore

/// Crawl sources in SQLite.
struct SQLiteCrawlSourceRepository: CrawlSourceRepository {
    let database: SQLiteDatabase

    func create(_ source: CrawlSource, job: IngestionJob) async throws {
        let values = try CrawlSourceStatements.insertValues(source)
        let jobValues = SQLValues.ingestionJobInsert(job, data: Data())
        try await database.transaction { transaction in
            try transaction.query(CrawlSourceStatements.insert, values)
            try transaction.query(SQLValues.ingestionJobInsertSQL, jobValues)
        }
    }

    func get(_ id: CrawlSourceID, tenant: TenantID) async throws -> CrawlSource? {
        try await database.query(
            "SELECT * FROM crawl_sources WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.crawlSource)
    }

    func list(tenant: TenantID) async throws -> [CrawlSource] {
        try await database.query(
            "SELECT * FROM crawl_sources WHERE tenant_id = ? ORDER BY created_at DESC, id", [.text(tenant.rawValue)]
        ).map(StoredRows.crawlSource)
    }

    func save(_ source: CrawlSource) async throws -> Bool {
        !(try await database.query(CrawlSourceStatements.save, try CrawlSourceStatements.saveValues(source)).isEmpty)
    }

    func enqueue(_ id: CrawlSourceID, tenant: TenantID, job: IngestionJob, now: Date) async throws -> Bool {
        let jobValues = SQLValues.ingestionJobInsert(job, data: Data())
        return try await database.transaction { transaction in
            let marked = try transaction.query(
                CrawlSourceStatements.markQueued, [SQLValues.date(now), .text(id.rawValue), .text(tenant.rawValue)])
            guard !marked.isEmpty else { return false }
            try transaction.query(SQLValues.ingestionJobInsertSQL, jobValues)
            return true
        }
    }

    func delete(_ id: CrawlSourceID, tenant: TenantID) async throws -> CrawlSourceDeletion {
        try await database.transaction { transaction in
            guard
                let source = try transaction.query(
                    "SELECT * FROM crawl_sources WHERE id = ? AND tenant_id = ?",
                    [.text(id.rawValue), .text(tenant.rawValue)]
                ).first.map(StoredRows.crawlSource)
            else { return .notFound }
            if source.status == .queued || source.status == .crawling { return .busy }
            try transaction.query(
                "DELETE FROM crawl_sources WHERE id = ? AND tenant_id = ?",
                [.text(id.rawValue), .text(tenant.rawValue)])
            // Every document its crawls stored goes with it, whether or not its page records still name it.
            let prefix = CrawlSource.documentKeyPrefix(id)
            let documents = try transaction.query(
                """
                DELETE FROM knowledge_documents WHERE tenant_id = ? AND substr(source_key, 1, ?) = ? RETURNING id
                """, [.text(tenant.rawValue), .integer(prefix.count), .text(prefix)])
            if !documents.isEmpty { try SQLiteKnowledgeRepository.bumpVersion(tenant: tenant, transaction) }
            return .deleted(source)
        }
    }

    func release(now: Date) async throws -> Int {
        try await database.query(CrawlSourceStatements.release, [SQLValues.date(now), SQLValues.date(now)]).count
    }

    func due(now: Date, limit: Int) async throws -> [CrawlSource] {
        try await database.query(CrawlSourceStatements.due, [SQLValues.date(now), .integer(max(0, limit))])
            .map(StoredRows.crawlSource)
    }
}
