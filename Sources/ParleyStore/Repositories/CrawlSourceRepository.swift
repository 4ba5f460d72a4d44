import Foundation
import ParleyCore

/// Websites tenants crawl: each with its limits, schedule, state and page records.
///
/// Crawls themselves run as ingestion jobs of kind `crawl`, queued here together with the source's change of state.
public protocol CrawlSourceRepository: Sendable {
    /// Stores a new source and queues `job` for its first crawl, in one step.
    func create(_ source: CrawlSource, job: IngestionJob) async throws
    /// The tenant's source with this id.
    func get(_ id: CrawlSourceID, tenant: TenantID) async throws -> CrawlSource?
    /// The tenant's sources, newest first.
    func list(tenant: TenantID) async throws -> [CrawlSource]
    /// Saves a source's state, limits and schedule; false when it is gone.
    func save(_ source: CrawlSource) async throws -> Bool
    /// Queues `job` to crawl an idle or failed source now; false when a crawl is already queued or running (or the
    /// source is gone).
    func enqueue(_ id: CrawlSourceID, tenant: TenantID, job: IngestionJob, now: Date) async throws -> Bool
    /// Deletes a source that is not being crawled, with every knowledge document its crawls stored (those whose
    /// source key starts with `CrawlSource.documentKeyPrefix`), in one transaction.
    func delete(_ id: CrawlSourceID, tenant: TenantID) async throws -> CrawlSourceDeletion
    /// Idle or failed sources of any tenant whose next crawl is due, the most overdue first; for the scheduler.
    func due(now: Date, limit: Int) async throws -> [CrawlSource]
    /// Marks failed the queued or crawling sources of any tenant that no live job crawls any more (their job died
    /// with its worker on its last attempt), scheduling their next crawl; how many.
    func release(now: Date) async throws -> Int
}

/// What deleting a crawl source did.
public enum CrawlSourceDeletion: Sendable, Equatable {
    /// Deleted; the source as it was, so its documents can go too.
    case deleted(CrawlSource)
    /// A crawl is queued or running: nothing was deleted.
    case busy
    /// No such source.
    case notFound
}
