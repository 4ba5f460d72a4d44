import Foundation
import ParleyCore

/// Crawl sources in PostgreSQL; the scheduler's look across tenants runs as the job worker.
struct PostgresCrawlSourceRepository: CrawlSourceRepository {
    let database: PostgresDatabase

    func create(_ source: CrawlSource, job: IngestionJob) async throws {
        let values = try CrawlSourceStatements.insertValues(source)
        let jobValues = SQLValues.ingestionJobInsert(job, data: Data())
        try await database.transaction(scope: .tenant(source.tenantID)) { transaction in
            try await transaction.query(CrawlSourceStatements.insert, values)
            try await transaction.query(SQLValues.ingestionJobInsertSQL, jobValues)
        }
    }

    func get(_ id: CrawlSourceID, tenant: TenantID) async throws -> CrawlSource? {
        try await database.query(
            "SELECT * FROM crawl_sources WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).first.map(StoredRows.crawlSource)
    }

    func list(tenant: TenantID) async throws -> [CrawlSource] {
        try await database.query(
            "SELECT * FROM crawl_sources WHERE tenant_id = ? ORDER BY created_at DESC, id", [.text(tenant.rawValue)],
            scope: .tenant(tenant)
        ).map(StoredRows.crawlSource)
    }

    func save(_ source: CrawlSource) async throws -> Bool {
        !(try await database.query(
            CrawlSourceStatements.save, try CrawlSourceStatements.saveValues(source), scope: .tenant(source.tenantID)
        ).isEmpty)
    }

    func enqueue(_ id: CrawlSourceID, tenant: TenantID, job: IngestionJob, now: Date) async throws -> Bool {
        let jobValues = SQLValues.ingestionJobInsert(job, data: Data())
        return try await database.transaction(scope: .tenant(tenant)) { transaction in
            // The row lock the UPDATE takes makes a second replica's enqueue wait, then find the source queued.
            let marked = try await transaction.query(
                CrawlSourceStatements.markQueued, [SQLValues.date(now), .text(id.rawValue), .text(tenant.rawValue)])
            guard !marked.isEmpty else { return false }
            try await transaction.query(SQLValues.ingestionJobInsertSQL, jobValues)
            return true
        }
    }

    func delete(_ id: CrawlSourceID, tenant: TenantID) async throws -> CrawlSourceDeletion {
        try await database.transaction(scope: .tenant(tenant)) { transaction in
            guard
                let source = try await transaction.query(
                    "SELECT * FROM crawl_sources WHERE id = ? AND tenant_id = ? FOR UPDATE",
                    [.text(id.rawValue), .text(tenant.rawValue)]
                ).first.map(StoredRows.crawlSource)
            else { return .notFound }
            if source.status == .queued || source.status == .crawling { return .busy }
            try await transaction.query(
                "DELETE FROM crawl_sources WHERE id = ? AND tenant_id = ?",
                [.text(id.rawValue), .text(tenant.rawValue)])
            // Every document its crawls stored goes with it, whether or not its page records still name it.
            try await PostgresKnowledgeRepository.lockKnowledge(tenant: tenant, transaction)
            let prefix = CrawlSource.documentKeyPrefix(id)
            let documents = try await transaction.query(
                """
                DELETE FROM knowledge_documents WHERE tenant_id = ? AND substr(source_key, 1, CAST(? AS INTEGER)) = ?
                RETURNING id
                """, [.text(tenant.rawValue), .integer(prefix.count), .text(prefix)])
            if !documents.isEmpty { try await PostgresKnowledgeRepository.bumpVersion(tenant: tenant, transaction) }
            return .deleted(source)
        }
    }

    func release(now: Date) async throws -> Int {
        try await database.query(
            CrawlSourceStatements.release, [SQLValues.date(now), SQLValues.date(now)], scope: .jobWorker
        ).count
    }

    func due(now: Date, limit: Int) async throws -> [CrawlSource] {
        try await database.query(
            CrawlSourceStatements.due, [SQLValues.date(now), .integer(max(0, limit))], scope: .jobWorker
        ).map(StoredRows.crawlSource)
    }
}
