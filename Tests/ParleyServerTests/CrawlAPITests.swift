import Foundation
import ParleyCore
import Testing

@testable import ParleyServer

/// Crawled websites through the API: only verified domains, a first crawl in the background, a re-sync that keeps
/// what did not change, a schedule, and deletion with the documents.
@Suite("Crawl API")
struct CrawlAPITests {
    /// Marks the loopback host as one of the demo tenant's verified domains.
    static func verifyLoopback(_ harness: Harness) async throws {
        try await harness.store.domains.create(
            WebsiteDomain(
                id: .generate(), tenantID: harness.seed.demoTenantID, host: "127.0.0.1", verificationToken: "t",
                verifiedAt: Date(), createdAt: Date()))
    }

    @Test("a verified site is crawled in the background, re-synced, and deleted with its documents")
    func lifecycle() async throws {
        let site = TestSite()
        site.pages.withLock { $0["/"] = $0["/"]!.replacingOccurrences(of: "<a href=\"/trap/1\">More</a>", with: "") }
        try await site.run { port in
            try await Harness.run { harness in
                let admin = try await harness.demoAdmin()
                let start = "http://127.0.0.1:\(port)/"
                let refused = try await harness.call(
                    .post, "/api/knowledge/crawls", json: ["url": start, "delay_seconds": 0], token: admin)
                #expect(refused.status == .unprocessableContent && refused.errorCode == "domain_not_verified")
                try await Self.verifyLoopback(harness)

                let created = try await harness.call(
                    .post, "/api/knowledge/crawls", json: ["url": start, "delay_seconds": 0, "max_pages": 20],
                    token: admin)
                #expect(created.status == .accepted, "\(created.text)")
                let id = try #require(created["crawl"]["id"].string)
                #expect(created["job"]["kind"].string == "crawl" && created["job"]["crawl_id"].string == id)
                let job = try await KnowledgeUploadTests.finished(
                    harness, job: try #require(created["job"]["id"].string), token: admin)
                #expect(job["status"].string == "ready" && job["documents"].int == 5, "\(job.text)")
                let crawl = try await harness.call(.get, "/api/knowledge/crawls/\(id)", token: admin)
                #expect(crawl["status"].string == "idle" && crawl["documents"].int == 5, "\(crawl.text)")
                #expect(crawl["last_report"]["disallowed"].int == 1)
                let found = try await harness.call(
                    .post, "/api/knowledge/search", json: ["query": "handmade ceramic mugs"], token: admin)
                #expect(found["passages"][0]["url"].string == start)

                site.pages.withLock {
                    $0["/about"] = "<html><title>About</title><main><p>Founded in 1990.</p></main></html>"
                }
                let sync = try await harness.call(.post, "/api/knowledge/crawls/\(id)/sync", token: admin)
                #expect(sync.status == .accepted)
                let again = try await KnowledgeUploadTests.finished(
                    harness, job: try #require(sync["job"]["id"].string), token: admin)
                #expect(again["documents"].int == 1, "only the changed page is stored again: \(again.text)")
                let report = try await harness.call(.get, "/api/knowledge/crawls/\(id)", token: admin)["last_report"]
                // Unchanged: four pages answered 304 (one of them noindex, never stored), one the same text again.
                #expect(report["unchanged"].int == 5 && report["stored"].int == 1, "\(report)")

                let other = try await harness.newTenant("Elsewhere")
                #expect(
                    try await harness.call(.get, "/api/knowledge/crawls/\(id)", token: other.token).status == .notFound)
                #expect(
                    try await harness.call(.delete, "/api/knowledge/crawls/\(id)", token: other.token).status
                        == .notFound)
                #expect(
                    try await harness.call(.get, "/api/knowledge/crawls", token: other.token)["crawls"].array.isEmpty)

                #expect(
                    try await harness.call(.delete, "/api/knowledge/crawls/\(id)", token: admin).status == .noContent)
                #expect(try await harness.call(.get, "/api/knowledge/crawls/\(id)", token: admin).status == .notFound)
                let documents = try await harness.store.knowledge.documents(tenant: harness.seed.demoTenantID)
                #expect(!documents.contains { $0.sourceKey.hasPrefix("crawl:") }, "\(documents.map(\.sourceKey))")
            }
        }
    }

    @Test("bad requests are refused with the reason, and nothing is queued")
    func badRequests() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            try await Self.verifyLoopback(harness)
            for (body, message) in [
                (["url": "ftp://127.0.0.1/"], "url"), (["url": "http://127.0.0.1/", "max_pages": 0], "max_pages"),
                (["url": "http://127.0.0.1/", "max_depth": 99], "max_depth"),
                (["url": "http://127.0.0.1/", "resync_hours": 0], "resync_hours"),
                (["url": "http://127.0.0.1/", "delay_seconds": -1], "delay_seconds"),
            ] as [([String: Any], String)] {
                let reply = try await harness.call(.post, "/api/knowledge/crawls", json: body, token: admin)
                #expect(reply.status == .unprocessableContent, "\(body)")
                #expect(reply.json["error"]["message"].string?.contains(message) == true, "\(reply.text)")
            }
            #expect(try await harness.call(.get, "/api/knowledge/crawls", token: admin)["crawls"].array.isEmpty)
            #expect(try await harness.call(.get, "/api/knowledge/jobs", token: admin)["jobs"].array.isEmpty)
            let analyst = try await AgentHandoffTests().user("analyst", "ann", harness: harness, admin: admin)
            #expect(
                try await harness.call(
                    .post, "/api/knowledge/crawls", json: ["url": "http://127.0.0.1/"], token: analyst
                ).status == .forbidden)
        }
    }

    @Test("a source with resync_hours is queued again when due, once, however many schedulers look")
    func schedule() async throws {
        let site = TestSite()
        site.pages.withLock { $0["/"] = $0["/"]!.replacingOccurrences(of: "<a href=\"/trap/1\">More</a>", with: "") }
        try await site.run { port in
            try await Harness.run { harness in
                let admin = try await harness.demoAdmin()
                try await Self.verifyLoopback(harness)
                let created = try await harness.call(
                    .post, "/api/knowledge/crawls",
                    json: ["url": "http://127.0.0.1:\(port)/", "delay_seconds": 0, "resync_hours": 6], token: admin)
                let id = try #require(created["crawl"]["id"].string)
                _ = try await KnowledgeUploadTests.finished(
                    harness, job: try #require(created["job"]["id"].string), token: admin)
                let crawl = try await harness.call(.get, "/api/knowledge/crawls/\(id)", token: admin)
                let next = try #require(crawl["next_crawl_at"].string.flatMap { ISO8601DateFormatter().date(from: $0) })
                #expect(abs(next.timeIntervalSinceNow - 6 * 3_600) < 120, "next crawl at \(next)")

                // Two schedulers (two replicas) look at once, six hours on: one crawl is queued.
                let schedulers = (0..<2).map { _ in
                    IngestionWorker(
                        store: harness.store, ingestor: .init(store: harness.store.knowledge, embedder: nil),
                        logger: .init(label: "scheduler"))
                }
                let later = Date().addingTimeInterval(6 * 3_600 + 60)
                #expect(try await schedulers[0].queueDueCrawls(now: Date()) == 0, "not due yet")
                async let first = schedulers[0].queueDueCrawls(now: later)
                async let second = schedulers[1].queueDueCrawls(now: later)
                #expect(try await first + second == 1)
                let jobs = try await harness.call(.get, "/api/knowledge/jobs", token: admin)["jobs"].array
                #expect(jobs.filter { $0["crawl_id"].string == id }.count == 2)
            }
        }
    }
}
