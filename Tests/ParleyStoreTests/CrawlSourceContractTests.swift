import Foundation
import ParleyCore
import ParleyStore
import Testing

/// Crawl sources: created with their first job in one step, saved whole, queued once however often asked, kept
/// per tenant, deleted only when idle, and found by the scheduler when due.
@Suite("Store contract: crawl sources")
struct CrawlSourceContractTests {
    static func job(for source: CrawlSource, at time: Date) -> IngestionJob {
        IngestionJob.crawl(of: source, at: time)
    }

    @Test(
        "a source is stored with its first crawl job; its state round-trips; other tenants see nothing",
        arguments: StoreFactory.allCases)
    func roundTrip(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let other = StoreContractTests.tenant("other")
        try await store.tenants.create(other)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var source = CrawlSource(
            id: .generate(), tenantID: tenant.id, url: "https://shop.example.com/",
            limits: CrawlLimits(maxPages: 40, maxDepth: 3, delaySeconds: 1), resyncHours: 24, createdAt: now)
        let first = Self.job(for: source, at: now)
        try await store.crawlSources.create(source, job: first)
        #expect(try await store.crawlSources.get(source.id, tenant: tenant.id) == source)
        let jobs = try await store.ingestionJobs.list(tenant: tenant.id, limit: 10)
        #expect(
            jobs.map(\.id) == [first.id] && jobs.first?.kind == .crawl && jobs.first?.sourceKey == source.id.rawValue)

        source.status = .idle
        source.pages = [
            "https://shop.example.com/": CrawledPage(
                validators: PageValidators(etag: "\"a\"", lastModified: nil), contentHash: "h", documentID: "d1",
                links: ["https://shop.example.com/about"])
        ]
        var report = CrawlReport()
        report.fetched = 3
        report.failures = ["https://shop.example.com/x": "HTTP 500"]
        source.lastReport = report
        source.lastCrawledAt = now
        source.nextCrawlAt = now.addingTimeInterval(86_400)
        source.updatedAt = now.addingTimeInterval(5)
        #expect(try await store.crawlSources.save(source))
        #expect(try await store.crawlSources.get(source.id, tenant: tenant.id) == source)
        #expect(try await store.crawlSources.list(tenant: tenant.id) == [source])

        #expect(try await store.crawlSources.get(source.id, tenant: other.id) == nil)
        #expect(try await store.crawlSources.list(tenant: other.id).isEmpty)
        var stolen = source
        stolen.tenantID = other.id
        #expect(try await !store.crawlSources.save(stolen))
        #expect(try await store.crawlSources.delete(source.id, tenant: other.id) == .notFound)
    }

    @Test(
        "enqueue is a compare-and-set: one job for an idle source, none while one is queued; delete waits too",
        arguments: StoreFactory.allCases)
    func enqueueAndDelete(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let now = Date()
        var source = CrawlSource(
            id: .generate(), tenantID: tenant.id, url: "https://a.example/", limits: CrawlLimits(), resyncHours: nil,
            createdAt: now)
        try await store.crawlSources.create(source, job: Self.job(for: source, at: now))
        // Queued for its first crawl: neither another crawl nor a delete.
        #expect(
            try await !store.crawlSources.enqueue(
                source.id, tenant: tenant.id, job: Self.job(for: source, at: now), now: now))
        #expect(try await store.crawlSources.delete(source.id, tenant: tenant.id) == .busy)

        source.status = .idle
        _ = try await store.crawlSources.save(source)
        let (idle, tenantID) = (source, tenant.id)
        async let one = store.crawlSources.enqueue(
            idle.id, tenant: tenantID, job: Self.job(for: idle, at: now), now: now)
        async let two = store.crawlSources.enqueue(
            idle.id, tenant: tenantID, job: Self.job(for: idle, at: now), now: now)
        #expect([try await one, try await two].filter { $0 }.count == 1)
        #expect(try await store.ingestionJobs.list(tenant: tenant.id, limit: 10).count == 2)
        #expect(try await store.crawlSources.get(source.id, tenant: tenant.id)?.status == .queued)

        source.status = .failed
        _ = try await store.crawlSources.save(source)
        guard case .deleted(let deleted) = try await store.crawlSources.delete(source.id, tenant: tenant.id) else {
            Issue.record("a failed source was not deleted")
            return
        }
        #expect(deleted.id == source.id)
        #expect(try await store.crawlSources.get(source.id, tenant: tenant.id) == nil)
    }

    @Test(
        "due lists idle and failed sources of every tenant whose time has come, the most overdue first",
        arguments: StoreFactory.allCases)
    func due(factory: StoreFactory) async throws {
        let (store, a) = try await StoreContractTests.storeWithTenant(factory)
        let b = StoreContractTests.tenant("b")
        try await store.tenants.create(b)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var made: [String: CrawlSource] = [:]
        for (name, tenant, status, next) in [
            ("late", b, CrawlSource.Status.idle, now.addingTimeInterval(-600)),
            ("due", a, .failed, now.addingTimeInterval(-60)),
            ("future", a, .idle, now.addingTimeInterval(60)),
            ("busy", a, .crawling, now.addingTimeInterval(-60)),
            ("manual", b, .idle, nil),
        ] as [(String, Tenant, CrawlSource.Status, Date?)] {
            var source = CrawlSource(
                id: .generate(), tenantID: tenant.id, url: "https://\(name).example/", limits: CrawlLimits(),
                resyncHours: next == nil ? nil : 1, createdAt: now)
            try await store.crawlSources.create(source, job: Self.job(for: source, at: now))
            source.status = status
            source.nextCrawlAt = next
            _ = try await store.crawlSources.save(source)
            made[name] = source
        }
        let due = try await store.crawlSources.due(now: now, limit: 10)
        #expect(due.map(\.url) == ["https://late.example/", "https://due.example/"])
        #expect(try await store.crawlSources.due(now: now, limit: 1).map(\.url) == ["https://late.example/"])
    }

    @Test(
        "deleting a source deletes every document its crawls stored, and only those, in the same transaction",
        arguments: StoreFactory.allCases)
    func deleteTakesItsDocuments(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let now = Date()
        var source = CrawlSource(
            id: .generate(), tenantID: tenant.id, url: "https://shop.example.com/", limits: CrawlLimits(),
            resyncHours: nil, createdAt: now)
        var other = source
        other.id = .generate()
        for crawl in [source, other] {
            try await store.crawlSources.create(crawl, job: Self.job(for: crawl, at: now))
        }
        let prefix = CrawlSource.documentKeyPrefix(source.id)
        // Two pages of this source (one its records no longer name: a crawl cut short), one of another source,
        // and an FAQ entry.
        var keys = [prefix + "https://shop.example.com/", prefix + "https://shop.example.com/lost"]
        keys += [CrawlSource.documentKeyPrefix(other.id) + "https://blog.example.com/", "faq:Do you ship?"]
        for key in keys {
            let (document, chunks) = KnowledgeContractTests.document(tenant.id, key: key, hash: key, chunks: ["Text."])
            _ = try await store.knowledge.store(document, chunks: chunks)
        }
        let versionBefore = try await store.knowledge.version(tenant: tenant.id)
        source.status = .idle
        #expect(try await store.crawlSources.save(source))
        guard case .deleted = try await store.crawlSources.delete(source.id, tenant: tenant.id) else {
            Issue.record("the idle source was not deleted")
            return
        }
        let left = try await store.knowledge.documents(tenant: tenant.id).map(\.sourceKey)
        #expect(Set(left) == Set(keys.suffix(2)))
        #expect(try await store.knowledge.version(tenant: tenant.id) > versionBefore)
        try await store.close()
    }
}
