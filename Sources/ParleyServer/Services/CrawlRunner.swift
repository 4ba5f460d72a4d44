import Foundation
import Logging
import ParleyCore
import ParleyKnowledge
import ParleyStore

/// Runs one crawl job: crawls its source within the tenant's verified domains, then records the report, the page
/// records and the next re-sync on the source, and ends the job.
struct CrawlRunner {
    let store: any ParleyStore
    let ingestor: KnowledgeIngestor
    let worker: String
    let lease: TimeInterval
    let allowPrivateNetworks: Bool
    let logger: Logger

    /// How soon a crawl whose pages could not all be stored runs again, the first time.
    static let unstoredRetry: TimeInterval = 15 * 60

    /// Crawls; `progress` hears the share of the page limit used, `retry` takes a transient failure (and answers with
    /// the job's new status).
    func run(
        _ job: IngestionJob, progress: @escaping @Sendable (Double) -> Void,
        retry: (any Error) async -> IngestionJob.Status?
    ) async {
        let jobs = store.ingestionJobs
        let tenant = job.tenantID
        guard let id = job.sourceKey,
            var source = try? await store.crawlSources.get(CrawlSourceID(id), tenant: tenant)
        else {
            _ = try? await jobs.finish(
                job.id, tenant: tenant, worker: worker, status: .failed, error: "the crawl source was deleted",
                documents: 0, now: Date())
            return
        }
        source.status = .crawling
        source.updatedAt = Date()
        _ = try? await store.crawlSources.save(source)
        let fetcher = HTTPPageFetcher(allowPrivateNetworks: allowPrivateNetworks)
        let outcome: Result<CrawlReport, any Error>
        do {
            let domains = Set(try await store.domains.list(tenant: tenant).filter { $0.verifiedAt != nil }.map(\.host))
            let crawler = SiteCrawler(
                fetcher: fetcher, ingestor: ingestor, store: store.knowledge, limits: source.limits)
            let (worker, lease, pages) = (worker, lease, Double(max(1, source.limits.maxPages)))
            outcome = .success(
                try await crawler.crawl(
                    from: source.url, domains: domains, previous: source.pages, tenant: tenant,
                    keyPrefix: CrawlSource.documentKeyPrefix(source.id)
                ) { report in
                    let share = min(0.99, Double(report.fetched) / pages)
                    progress(share)
                    _ = try? await jobs.progress(
                        job.id, tenant: tenant, worker: worker, status: .extracting, progress: share, lease: lease,
                        now: Date())
                })
        } catch {
            outcome = .failure(error)
        }
        await fetcher.shutdown()
        let now = Date()
        source.updatedAt = now
        switch outcome {
        case .success(let report):
            // The last crawl's own trouble storing pages, to back off from when it happens again.
            let previousRetry =
                (source.lastReport?.unstored ?? 0) > 0 ? source.lastCrawledAt.map { now.timeIntervalSince($0) } : nil
            source.pages = report.pages
            var summary = report
            summary.pages = [:]
            source.lastReport = summary
            source.status = .idle
            source.lastError = nil
            source.lastCrawledAt = now
            source.nextCrawlAt = source.resyncHours.map { now.addingTimeInterval(Double($0) * 3_600) }
            if report.unstored > 0 {
                // Pages were read but their text could not be stored (an embeddings endpoint down, say): the crawl
                // is not done, and runs again soon for them; twice as late each time it happens again, up to the
                // re-sync interval (a day without one), so a key that stays wrong does not crawl the site all day.
                let longest = source.resyncHours.map { Double($0) * 3_600 } ?? 86_400
                let delay = min(longest, max(Self.unstoredRetry, 2 * (previousRetry ?? 0)))
                source.lastError =
                    "\(report.unstored) page(s) could not be stored; the crawl runs again in "
                    + "\(Int(delay / 60)) minutes"
                source.nextCrawlAt = now.addingTimeInterval(delay)
            }
            _ = try? await store.crawlSources.save(source)
            _ = try? await jobs.finish(
                job.id, tenant: tenant, worker: worker, status: .ready, error: nil, documents: report.stored, now: now)
            logger.info(
                "crawl finished",
                metadata: [
                    "source": "\(source.id)", "fetched": "\(report.fetched)", "stored": "\(report.stored)",
                    "removed": "\(report.removed)",
                ])
        case .failure(let error as SiteCrawler.CrawlError) where !error.isTransient:
            // The site refuses (robots.txt) or the tenant may not crawl it: trying again now would not help.
            source.status = .failed
            source.lastError = error.description
            source.nextCrawlAt = source.resyncHours.map { now.addingTimeInterval(Double($0) * 3_600) }
            _ = try? await store.crawlSources.save(source)
            _ = try? await jobs.finish(
                job.id, tenant: tenant, worker: worker, status: .failed, error: error.description, documents: 0,
                now: now)
        case .failure(let error):
            if Task.isCancelled { return }  // the lease runs out and the job, with its source, is taken up again
            guard let status = await retry(error) else { return }  // lease lost: another worker has the crawl
            source.status = status == .queued ? .queued : .failed
            // A site's own trouble (robots.txt down) is told; anything else is this server's, and stays in its log.
            let reason = SiteCrawler.CrawlError.tenantFacingDescription(of: error)
            if status == .queued {
                source.lastError = reason.map { $0 + "; trying again" }
            } else {
                source.lastError = "the crawl failed on every attempt" + (reason.map { ": \($0)" } ?? "")
            }
            if status != .queued {
                // Queuing the crawl cleared the next one; a crawl given up on must not end the source's schedule.
                source.nextCrawlAt = source.resyncHours.map { now.addingTimeInterval(Double($0) * 3_600) }
            }
            _ = try? await store.crawlSources.save(source)
        }
    }
}
