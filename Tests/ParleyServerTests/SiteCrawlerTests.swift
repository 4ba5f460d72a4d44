import Foundation
import ParleyCore
import ParleyKnowledge
import Testing

/// The website crawler against a real site on loopback: robots.txt, the sitemap, verified domains, limits and a
/// crawl trap, a Latin-1 page, and re-syncs that store only what changed and remove what is gone.
@Suite("Website crawler")
struct SiteCrawlerTests {
    /// A crawler into the harness's store, reading the site without delays.
    ///
    /// Its requests wait up to 30 s: with every suite running at once on two cores a page on loopback has taken over
    /// five, and a fetch that gives up changes what the crawl stores.
    static func crawler(_ harness: Harness, limits: CrawlLimits) -> (SiteCrawler, HTTPPageFetcher) {
        let fetcher = HTTPPageFetcher(timeout: 30, allowPrivateNetworks: true)
        let ingestor = KnowledgeIngestor(store: harness.store.knowledge, embedder: nil)
        return (
            SiteCrawler(fetcher: fetcher, ingestor: ingestor, store: harness.store.knowledge, limits: limits), fetcher
        )
    }

    /// Runs `body` against the test site without its crawl trap (a crawl that reaches everything can also tell what
    /// is no longer linked), a harness, and a crawler with room for the whole site.
    static func withWholeSite(
        _ body:
            @escaping @Sendable (
                _ site: TestSite, _ harness: Harness, _ port: Int, _ crawler: SiteCrawler, _ fetcher: HTTPPageFetcher
            ) async throws -> Void
    ) async throws {
        let site = TestSite()
        site.pages.withLock { $0["/"] = $0["/"]!.replacingOccurrences(of: "<a href=\"/trap/1\">More</a>", with: "") }
        try await site.run { port in
            try await Harness.run { harness in
                let (crawler, fetcher) = Self.crawler(
                    harness, limits: CrawlLimits(maxPages: 50, maxDepth: 5, delaySeconds: 0))
                try await body(site, harness, port, crawler, fetcher)
                await fetcher.shutdown()
            }
        }
    }

    /// The paths of the tenant's documents made from the site's pages.
    static func storedPaths(_ harness: Harness, port: Int) async throws -> Set<String> {
        let prefix = "url:http://127.0.0.1:\(port)"
        return Set(
            try await harness.store.knowledge.documents(tenant: harness.seed.demoTenantID).map(\.sourceKey)
                .filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
    }

    @Test("a crawl keeps to robots.txt, the verified domain, nofollow, noindex and its limits, and reads Latin-1")
    func firstCrawl() async throws {
        let site = TestSite()
        try await site.run { port in
            try await Harness.run { harness in
                let (crawler, fetcher) = Self.crawler(
                    harness, limits: CrawlLimits(maxPages: 25, maxDepth: 50, delaySeconds: 0))
                let report = try await crawler.crawl(
                    from: "http://127.0.0.1:\(port)/", domains: ["127.0.0.1"], previous: [:],
                    tenant: harness.seed.demoTenantID)
                await fetcher.shutdown()
                let stored = try await Self.storedPaths(harness, port: port)
                for path in ["/", "/about", "/shipping", "/from-sitemap", "/latin1"] {
                    #expect(stored.contains(path), "\(path) was not stored: \(stored)")
                }
                #expect(
                    !stored.contains("/private/secrets") && !stored.contains("/hidden") && !stored.contains("/returns"))
                #expect(site.requests.withLock { $0["/private/secrets"] } == nil, "robots.txt was not honoured")
                #expect(site.requests.withLock { $0["/returns"] } == nil, "a nofollow link was followed")
                #expect(report.disallowed == 1)
                // The endless chain ends at the page limit.
                #expect(report.fetched == 25 && report.truncated)
                #expect(stored.filter { $0.hasPrefix("/trap/") }.count >= 10)
                #expect(report.stored == stored.count)
                let latin = try await harness.store.knowledge.searchLexical(
                    "crème", tenant: harness.seed.demoTenantID, limit: 3)
                #expect(latin.first?.chunk.text.contains("Café crème, déjà vu.") == true, "\(latin.map(\.chunk.text))")
                #expect(latin.first?.chunk.title == "Café")
            }
        }
    }

    @Test("a page whose document was deleted is read whole at the next re-sync and stored again, not kept by a 304")
    func deletedDocumentComesBack() async throws {
        try await Self.withWholeSite { site, harness, port, crawler, fetcher in
            let tenant = harness.seed.demoTenantID
            let start = "http://127.0.0.1:\(port)/"
            let first = try await crawler.crawl(from: start, domains: ["127.0.0.1"], previous: [:], tenant: tenant)
            let about = try #require(first.pages["http://127.0.0.1:\(port)/about"]?.documentID)
            #expect(try await harness.store.knowledge.delete(KnowledgeDocumentID(about), tenant: tenant))
            let second = try await crawler.crawl(
                from: start, domains: ["127.0.0.1"], previous: first.pages, tenant: tenant)
            await fetcher.shutdown()
            #expect(!site.notModified.withLock { $0 }.contains("/about"), "answered with a 304 and kept without text")
            #expect(second.stored == 1, "\(second)")
            #expect(try await Self.storedPaths(harness, port: port).contains("/about"))
        }
    }

    @Test("a re-sync asks with ETags, stores only the changed page, and removes the document of a page now gone")
    func resync() async throws {
        try await Self.withWholeSite { site, harness, port, crawler, fetcher in
            let tenant = harness.seed.demoTenantID
            let start = "http://127.0.0.1:\(port)/"
            let first = try await crawler.crawl(from: start, domains: ["127.0.0.1"], previous: [:], tenant: tenant)
            #expect(!first.truncated && first.failures.isEmpty, "\(first.failures)")
            let before = try await Self.storedPaths(harness, port: port)
            #expect(before == ["/", "/about", "/shipping", "/from-sitemap", "/latin1"])

            site.pages.withLock {
                $0["/about"] =
                    "<html><title>About us</title><main><p>A family workshop since 1990.</p></main></html>"
                $0["/shipping"] = nil
            }
            let second = try await crawler.crawl(
                from: start, domains: ["127.0.0.1"], previous: first.pages, tenant: tenant)
            await fetcher.shutdown()
            #expect(second.stored == 1 && second.removed == 1, "\(second)")
            #expect(Set(site.notModified.withLock { $0 }).isSuperset(of: ["/", "/from-sitemap", "/hidden"]))
            #expect(try await Self.storedPaths(harness, port: port) == ["/", "/about", "/from-sitemap", "/latin1"])
            #expect(try await harness.store.knowledge.searchLexical("parcels", tenant: tenant, limit: 3).isEmpty)
            let about = try await harness.store.knowledge.searchLexical("workshop", tenant: tenant, limit: 3)
            #expect(about.map(\.chunk.text) == ["A family workshop since 1990."])
        }
    }

    @Test("a page down for a moment at a re-sync removes nothing: its pages are still followed, unlinked ones kept")
    func pageDownAtResync() async throws {
        try await Self.withWholeSite { site, harness, port, crawler, fetcher in
            let tenant = harness.seed.demoTenantID
            let start = "http://127.0.0.1:\(port)/"
            let all: Set<String> = ["/", "/about", "/shipping", "/from-sitemap", "/latin1"]
            let first = try await crawler.crawl(from: start, domains: ["127.0.0.1"], previous: [:], tenant: tenant)
            #expect(try await Self.storedPaths(harness, port: port) == all)

            // The start page, the only one linking to /about and /shipping, answers 503.
            site.failing.withLock { $0 = ["/"] }
            let second = try await crawler.crawl(
                from: start, domains: ["127.0.0.1"], previous: first.pages, tenant: tenant)
            #expect(second.removed == 0 && second.failures.keys.contains(start), "\(second)")
            #expect(try await Self.storedPaths(harness, port: port) == all)

            // /about is no longer linked, while /shipping fails: /about may only look unlinked, so it stays.
            site.failing.withLock { $0 = ["/shipping"] }
            site.pages.withLock {
                $0["/"] = $0["/"]!.replacingOccurrences(of: "<a href=\"/about\">About</a>", with: "")
            }
            let third = try await crawler.crawl(
                from: start, domains: ["127.0.0.1"], previous: second.pages, tenant: tenant)
            #expect(third.removed == 0, "\(third)")
            #expect(try await Self.storedPaths(harness, port: port) == all)

            // Every page read again: now /about is gone for certain.
            site.failing.withLock { $0 = [] }
            let fourth = try await crawler.crawl(
                from: start, domains: ["127.0.0.1"], previous: third.pages, tenant: tenant)
            await fetcher.shutdown()
            #expect(fourth.removed == 1 && fourth.failures.isEmpty, "\(fourth)")
            #expect(try await Self.storedPaths(harness, port: port) == all.subtracting(["/about"]))
        }
    }

    @Test("a page's record keeps its in-domain links once each; a crawl's records stay within their link budget")
    func recordedLinks() async throws {
        let site = TestSite()
        site.pages.withLock {
            $0["/"] = """
                <html><title>Home</title><main><p>Welcome.</p><a href="/about">About</a> <a href="/about">Again</a>
                <a href="/about#team">Team</a> <a href="https://elsewhere.example.org/x">Elsewhere</a>
                <a href="/shipping">Shipping</a></main></html>
                """
        }
        try await site.run { port in
            try await Harness.run { harness in
                let tenant = harness.seed.demoTenantID
                let start = "http://127.0.0.1:\(port)/"
                let (crawler, fetcher) = Self.crawler(
                    harness, limits: CrawlLimits(maxPages: 50, maxDepth: 5, delaySeconds: 0))
                let report = try await crawler.crawl(
                    from: start, domains: ["127.0.0.1"], previous: [:], tenant: tenant)
                #expect(
                    report.pages[start]?.links == [
                        "http://127.0.0.1:\(port)/about", "http://127.0.0.1:\(port)/shipping",
                    ])
                #expect(!report.truncated)

                // Room for the home page's links only: the rest of the records keep none, and the crawl says it is
                // not complete (so a re-sync from these records removes nothing for not reaching it).
                let ingestor = KnowledgeIngestor(store: harness.store.knowledge, embedder: nil)
                let small = SiteCrawler(
                    fetcher: fetcher, ingestor: ingestor, store: harness.store.knowledge,
                    limits: CrawlLimits(maxPages: 50, maxDepth: 5, delaySeconds: 0), maxRecordedLinkBytes: 80)
                let limited = try await small.crawl(from: start, domains: ["127.0.0.1"], previous: [:], tenant: tenant)
                await fetcher.shutdown()
                #expect(limited.pages[start]?.links.count == 2)
                #expect(limited.pages["http://127.0.0.1:\(port)/shipping"]?.links.isEmpty == true)
                #expect(limited.truncated)
            }
        }
    }

    @Test("a changed page whose document was stored under another key leaves no document behind")
    func pageDocumentUnderAnotherKey() async throws {
        try await Self.withWholeSite { site, harness, port, crawler, fetcher in
            let tenant = harness.seed.demoTenantID
            let start = "http://127.0.0.1:\(port)/"
            let first = try await crawler.crawl(from: start, domains: ["127.0.0.1"], previous: [:], tenant: tenant)
            // As a database from before long keys were bounded has it: the page's record names a document
            // whose key is not the one the page is stored under now.
            let legacy = try await KnowledgeIngestor(store: harness.store.knowledge, embedder: nil).ingest(
                .init(content: .text("Founded in a garage."), sourceKey: "url:legacy-about", title: "About"),
                tenant: tenant)
            var previous = first.pages
            let about = "http://127.0.0.1:\(port)/about"
            #expect(previous[about] != nil, "\(previous.keys)")
            previous[about]?.documentID = legacy.document.id.rawValue
            site.pages.withLock {
                $0["/about"] = "<html><title>About us</title><main><p>A workshop since 1990.</p></main></html>"
            }
            _ = try await crawler.crawl(from: start, domains: ["127.0.0.1"], previous: previous, tenant: tenant)
            await fetcher.shutdown()
            #expect(try await harness.store.knowledge.document(legacy.document.id, tenant: tenant) == nil)
            #expect(try await Self.storedPaths(harness, port: port).contains("/about"))
        }
    }

    @Test("an unreadable robots.txt or an unverified host stops the crawl before anything is stored")
    func refusals() async throws {
        let site = TestSite()
        site.robotsDown.withLock { $0 = true }
        try await site.run { port in
            try await Harness.run { harness in
                let (crawler, fetcher) = Self.crawler(harness, limits: CrawlLimits(delaySeconds: 0))
                let start = "http://127.0.0.1:\(port)/"
                await #expect(throws: SiteCrawler.CrawlError.robotsUnreachable("HTTP 503")) {
                    try await crawler.crawl(
                        from: start, domains: ["127.0.0.1"], previous: [:], tenant: harness.seed.demoTenantID)
                }
                await #expect(throws: SiteCrawler.CrawlError.hostNotVerified("127.0.0.1")) {
                    try await crawler.crawl(
                        from: start, domains: ["example.com"], previous: [:], tenant: harness.seed.demoTenantID)
                }
                await #expect(throws: SiteCrawler.CrawlError.invalidURL) {
                    try await crawler.crawl(
                        from: "ftp://127.0.0.1/", domains: ["127.0.0.1"], previous: [:],
                        tenant: harness.seed.demoTenantID)
                }
                await fetcher.shutdown()
                let stored = try await Self.storedPaths(harness, port: port)
                #expect(stored.isEmpty)
                #expect(site.requests.withLock { $0["/"] } == nil)
            }
        }
    }
}
