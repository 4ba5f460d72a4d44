import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyKnowledge
import ParleyStore
import Synchronization
import Testing

@testable import ParleyServer

/// What a crawl that cannot run leaves on its source.
@Suite("Crawl runner")
struct CrawlRunnerTests {
    @Test("a crawl given up on after its last attempt keeps the source's re-sync schedule")
    func deadCrawlKeepsSchedule() async throws {
        let now = Date()
        let (base, tenant, source, job) = try await Self.queuedCrawl(
            of: "https://docs.example.com/", limits: CrawlLimits(), verifiedHost: nil)
        #expect(try await base.crawlSources.get(source.id, tenant: tenant.id)?.nextCrawlAt == nil, "queued")

        // The database cannot list the tenant's domains on this attempt, the last one: the job is dead.
        let store = ForwardingStore(base: base, domains: UnavailableDomains())
        let runner = CrawlRunner(
            store: store, ingestor: KnowledgeIngestor(store: base.knowledge, embedder: nil), worker: "test",
            lease: 60, allowPrivateNetworks: false, logger: Logger(label: "test"))
        await runner.run(job, progress: { _ in }, retry: { _ in .dead })

        let stored = try #require(try await base.crawlSources.get(source.id, tenant: tenant.id))
        #expect(stored.status == .failed && stored.lastError == "the crawl failed on every attempt")
        let next = try #require(stored.nextCrawlAt, "the next re-sync is scheduled")
        #expect(abs(next.timeIntervalSince(now) - 24 * 3_600) < 60)
        let due = try await base.crawlSources.due(now: now.addingTimeInterval(25 * 3_600), limit: 10)
        #expect(due.map(\.id) == [source.id], "the scheduler takes it up again")
        try await base.close()
    }
}

extension CrawlRunnerTests {
    /// An embeddings endpoint that is down.
    struct DownEmbedder: EmbeddingProvider {
        let model = "down"
        let dimensions = 8

        func embed(_ texts: [String]) async throws -> [[Float]] {
            throw ProviderError.connection("the test's endpoint is down")
        }
    }

    @Test("a crawl whose pages could not be stored says so and runs again soon, not at the next re-sync")
    func unstoredPagesRunAgainSoon() async throws {
        let site = TestSite()
        try await site.run { port in
            let (base, tenant, source, job) = try await Self.siteSource(port: port)
            let now = Date()
            let runner = CrawlRunner(
                store: base, ingestor: KnowledgeIngestor(store: base.knowledge, embedder: DownEmbedder()),
                worker: "test", lease: 60, allowPrivateNetworks: true, logger: Logger(label: "test"))
            await runner.run(job, progress: { _ in }, retry: { _ in .dead })

            let stored = try #require(try await base.crawlSources.get(source.id, tenant: tenant.id))
            let report = try #require(stored.lastReport)
            #expect(report.fetched > 0 && report.stored == 0 && report.unstored > 0, "\(report)")
            #expect(
                stored.lastError?.contains("could not be stored") == true, "\(String(describing: stored.lastError))")
            let next = try #require(stored.nextCrawlAt)
            #expect(next.timeIntervalSince(now) < 3_600, "the crawl waits for its next re-sync, a day away")
            #expect(!(report.failures.values.first ?? "").isEmpty)

            // It happens again, a quarter of an hour later: the next try waits twice as long.
            var earlier = stored
            earlier.lastCrawledAt = Date().addingTimeInterval(-15 * 60)
            #expect(try await base.crawlSources.save(earlier))
            await runner.run(job, progress: { _ in }, retry: { _ in .dead })
            let again = try #require(try await base.crawlSources.get(source.id, tenant: tenant.id))
            let wait = try #require(again.nextCrawlAt).timeIntervalSinceNow
            #expect(wait > 25 * 60 && wait < 35 * 60, "waits \(wait) s")
            try await base.close()
        }
    }
}

extension CrawlRunnerTests {
    /// A fresh store with a tenant whose verified domain is the test site, and a queued crawl of it.
    static func siteSource(port: Int) async throws -> (SQLiteStore, Tenant, CrawlSource, IngestionJob) {
        try await queuedCrawl(
            of: "http://127.0.0.1:\(port)/", limits: CrawlLimits(maxPages: 5, maxDepth: 1, delaySeconds: 0),
            verifiedHost: "127.0.0.1")
    }

    /// A fresh store with a tenant (with `verifiedHost` as a verified domain, if any) and a queued crawl of `url`,
    /// re-synced daily.
    static func queuedCrawl(of url: String, limits: CrawlLimits, verifiedHost: String?) async throws -> (
        SQLiteStore, Tenant, CrawlSource, IngestionJob
    ) {
        let base = try await SQLiteStore.open(path: ":memory:", logger: Logger(label: "test"))
        try await base.migrate()
        let now = Date()
        let tenant = Tenant(
            id: .generate(), name: "Crawler", widgetKey: "wk-\(UUID().uuidString)", fallbackText: "fb", createdAt: now)
        try await base.tenants.create(tenant)
        if let verifiedHost {
            let domain = WebsiteDomain(
                id: .generate(), tenantID: tenant.id, host: verifiedHost, verificationToken: "t", verifiedAt: nil,
                createdAt: now)
            try await base.domains.create(domain)
            #expect(try await base.domains.markVerified(domain.id, tenant: tenant.id, at: now))
        }
        let source = CrawlSource(
            id: .generate(), tenantID: tenant.id, url: url, limits: limits, resyncHours: 24, createdAt: now)
        let job = IngestionJob(
            id: .generate(), tenantID: tenant.id, kind: .crawl, filename: nil, title: nil,
            sourceKey: source.id.rawValue, url: source.url, createdAt: now)
        try await base.crawlSources.create(source, job: job)
        return (base, tenant, source, job)
    }

    @Test("robots.txt answering 503 is tried again with the job's backoff, and says why; given up on, it says so")
    func robotsDownIsRetried() async throws {
        let site = TestSite()
        site.robotsDown.withLock { $0 = true }
        try await site.run { port in
            let (base, tenant, source, job) = try await Self.siteSource(port: port)
            let runner = CrawlRunner(
                store: base, ingestor: KnowledgeIngestor(store: base.knowledge, embedder: nil), worker: "test",
                lease: 60, allowPrivateNetworks: true, logger: Logger(label: "test"))
            let retried = Mutex<[String]>([])
            await runner.run(job, progress: { _ in }) { error in
                retried.withLock { $0.append("\(error)") }
                return .queued
            }
            #expect(retried.withLock { $0 } == ["robots.txt could not be read (HTTP 503), so nothing was crawled"])
            let waiting = try #require(try await base.crawlSources.get(source.id, tenant: tenant.id))
            #expect(waiting.status == .queued)
            #expect(
                waiting.lastError == "robots.txt could not be read (HTTP 503), so nothing was crawled; trying again")
            #expect(site.requests.withLock { $0["/"] } == nil, "a page was read without robots.txt")

            // The last attempt: given up on, with the reason, and the re-sync schedule kept.
            await runner.run(job, progress: { _ in }, retry: { _ in .dead })
            let dead = try #require(try await base.crawlSources.get(source.id, tenant: tenant.id))
            #expect(dead.status == .failed)
            #expect(
                dead.lastError?.hasPrefix("the crawl failed on every attempt: robots.txt could not be read") == true)
            #expect(dead.nextCrawlAt != nil)

            // The site is back: the next attempt crawls.
            site.robotsDown.withLock { $0 = false }
            await runner.run(job, progress: { _ in }, retry: { _ in .dead })
            let crawled = try #require(try await base.crawlSources.get(source.id, tenant: tenant.id))
            #expect(crawled.status == .idle && crawled.lastError == nil, "\(String(describing: crawled.lastError))")
            #expect((crawled.lastReport?.stored ?? 0) > 0)
            try await base.close()
        }
    }
}

/// Domains that cannot be read: the database is down.
struct UnavailableDomains: DomainRepository {
    static let failure = StoreError.unavailable("the test's database is down")

    func create(_ domain: WebsiteDomain) async throws { throw Self.failure }
    func get(_ id: DomainID, tenant: TenantID) async throws -> WebsiteDomain? { throw Self.failure }
    func list(tenant: TenantID) async throws -> [WebsiteDomain] { throw Self.failure }
    func markVerified(_ id: DomainID, tenant: TenantID, at: Date) async throws -> Bool { throw Self.failure }
    func delete(_ id: DomainID, tenant: TenantID) async throws -> Bool { throw Self.failure }
    func isVerified(host: String, tenant: TenantID) async throws -> Bool { throw Self.failure }
}
