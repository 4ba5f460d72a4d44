import Foundation

/// A website a tenant crawls into its knowledge base, how, how often, and what the last crawl found.
public struct CrawlSource: Sendable, Codable, Equatable {
    /// Where a source is.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Not crawling; `nextCrawlAt` says when it will again, if it re-syncs by itself.
        case idle
        /// A crawl job waits for a worker.
        case queued
        /// A worker is crawling it.
        case crawling
        /// The last crawl could not run (`lastError` says why); the schedule still holds.
        case failed
    }

    /// The start of the source key of every document a crawl of source `id` stores.
    public static func documentKeyPrefix(_ id: CrawlSourceID) -> String { "crawl:\(id.rawValue):" }

    public var id: CrawlSourceID
    public var tenantID: TenantID
    /// The start page.
    public var url: String
    public var limits: CrawlLimits
    /// Hours between automatic re-syncs; nil: only when asked.
    public var resyncHours: Int?
    public var status: Status
    public var lastError: String?
    /// The last crawl's report, without its page records.
    public var lastReport: CrawlReport?
    /// Every page known, by URL: the records the next crawl starts from.
    public var pages: [String: CrawledPage]
    public var lastCrawledAt: Date?
    /// When the scheduler queues the next crawl.
    public var nextCrawlAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// Makes a new source, queued for its first crawl.
    public init(
        id: CrawlSourceID, tenantID: TenantID, url: String, limits: CrawlLimits, resyncHours: Int?, createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.url = url
        self.limits = limits
        self.resyncHours = resyncHours
        self.status = .queued
        self.lastError = nil
        self.lastReport = nil
        self.pages = [:]
        self.lastCrawledAt = nil
        self.nextCrawlAt = nil
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }
}

extension IngestionJob {
    /// A job that crawls `source`, queued at `time`.
    public static func crawl(of source: CrawlSource, at time: Date) -> IngestionJob {
        IngestionJob(
            id: .generate(), tenantID: source.tenantID, kind: .crawl, filename: nil, title: source.url,
            sourceKey: source.id.rawValue, url: source.url, createdAt: time)
    }
}
