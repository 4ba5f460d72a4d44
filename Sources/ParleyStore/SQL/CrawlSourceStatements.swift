import Foundation
import ParleyCore

/// The crawl-source statements both stores run.
enum CrawlSourceStatements {
    static let insert = """
        INSERT INTO crawl_sources (id, tenant_id, url, limits, resync_hours, status, last_error, last_report, pages,
            last_crawled_at, next_crawl_at, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The values of `insert`.
    static func insertValues(_ source: CrawlSource) throws -> [SQLValue] {
        [.text(source.id.rawValue), .text(source.tenantID.rawValue), .text(source.url)] + (try stateValues(source))
            + [SQLValues.date(source.createdAt), SQLValues.date(source.updatedAt)]
    }

    /// Binds: the `stateValues`, updated_at, id, tenant.
    static let save = """
        UPDATE crawl_sources SET limits = ?, resync_hours = ?, status = ?, last_error = ?, last_report = ?, pages = ?,
            last_crawled_at = ?, next_crawl_at = ?, updated_at = ?
        WHERE id = ? AND tenant_id = ? RETURNING id
        """

    /// The values of `save`.
    static func saveValues(_ source: CrawlSource) throws -> [SQLValue] {
        try stateValues(source)
            + [SQLValues.date(source.updatedAt), .text(source.id.rawValue), .text(source.tenantID.rawValue)]
    }

    /// Binds: now, id, tenant.
    static let markQueued = """
        UPDATE crawl_sources SET status = 'queued', next_crawl_at = NULL, updated_at = ?
        WHERE id = ? AND tenant_id = ? AND status IN ('idle', 'failed') RETURNING id
        """

    /// Binds: now, limit.
    static let due = """
        SELECT * FROM crawl_sources
        WHERE status IN ('idle', 'failed') AND next_crawl_at IS NOT NULL AND next_crawl_at <= ?
        ORDER BY next_crawl_at, id LIMIT ?
        """

    /// Binds: now, now.
    static let release = """
        UPDATE crawl_sources SET status = 'failed', last_error = 'the crawl stopped before it finished',
            next_crawl_at = CASE WHEN resync_hours IS NULL THEN NULL ELSE ? + resync_hours * 3600 END, updated_at = ?
        WHERE status IN ('queued', 'crawling') AND NOT EXISTS (
            SELECT 1 FROM ingestion_jobs j
            WHERE j.kind = 'crawl' AND j.source_key = crawl_sources.id AND j.tenant_id = crawl_sources.tenant_id
                AND j.status IN ('queued', 'extracting', 'embedding'))
        RETURNING id
        """

    /// limits, resync_hours, status, last_error, last_report, pages, last_crawled_at, next_crawl_at.
    private static func stateValues(_ source: CrawlSource) throws -> [SQLValue] {
        [
            try SQLValues.json(source.limits), source.resyncHours.map { .integer($0) } ?? .null,
            .text(source.status.rawValue), SQLValues.text(source.lastError),
            try source.lastReport.map { try SQLValues.json($0) } ?? .null, try SQLValues.json(source.pages),
            SQLValues.optionalDate(source.lastCrawledAt), SQLValues.optionalDate(source.nextCrawlAt),
        ]
    }
}
