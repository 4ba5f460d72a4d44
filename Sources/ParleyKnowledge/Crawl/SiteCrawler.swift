import Crypto
import Foundation
import ParleyAI
import ParleyCore
import ParleyStore

/// Crawls a website into a tenant's knowledge base: breadth first from a start page and the site's sitemaps,
/// within the tenant's verified domains and robots.txt, bounded by `CrawlLimits`, one request at a time with a
/// politeness delay.
///
/// A crawl starts from the previous crawl's page records: each page is asked for with its `ETag` and
/// `Last-Modified`, a 304 or the same text stores nothing, a changed page replaces its document, and a page that is
/// gone (404, 410, `noindex`, or no longer linked when the crawl went everywhere it could) loses its document.
/// Each page is one document, keyed by its URL.
public struct SiteCrawler: Sendable {
    /// The product token robots.txt groups are matched against.
    public static let agent = "ParleyBot"
    /// The longest robots.txt `Crawl-delay` honoured, in seconds.
    public static let maxCrawlDelay = 10.0

    private let fetcher: any PageFetching
    private let ingestor: KnowledgeIngestor
    private let store: any KnowledgeRepository
    private let limits: CrawlLimits
    /// Most bytes of links the page records of one crawl keep (each page's in-domain links, once each).
    let maxRecordedLinkBytes: Int

    /// The default `maxRecordedLinkBytes`: pages of a thousand long links each must not grow a crawl's records
    /// (kept in memory, and saved as one value) to gigabytes.
    public static let defaultMaxRecordedLinkBytes = 8 << 20

    /// Makes a crawler that stores what it reads through `ingestor` into `store`.
    public init(
        fetcher: any PageFetching, ingestor: KnowledgeIngestor, store: any KnowledgeRepository, limits: CrawlLimits,
        maxRecordedLinkBytes: Int = defaultMaxRecordedLinkBytes
    ) {
        self.fetcher = fetcher
        self.ingestor = ingestor
        self.store = store
        self.limits = limits
        self.maxRecordedLinkBytes = maxRecordedLinkBytes
    }

    /// Why a crawl could not start.
    public enum CrawlError: Error, Equatable, CustomStringConvertible {
        /// The start URL is not an http(s) URL.
        case invalidURL
        /// The start URL's host is not one of the tenant's verified domains.
        case hostNotVerified(String)
        /// robots.txt cannot be reached where the crawl may go (it redirects off the site, or the host is on a private
        /// network), which means: crawl nothing.
        case robotsUnavailable(String)
        /// robots.txt did not answer, or answered with a server error (RFC 9309 §2.3.1.4: crawl nothing for now);
        /// the crawl is worth trying again later.
        case robotsUnreachable(String)

        /// What a failure says to the tenant: a crawl error's own words, nil for anything else (this server's trouble,
        /// whose details stay in its log).
        public static func tenantFacingDescription(of error: any Error) -> String? {
            (error as? CrawlError)?.description
        }

        /// Whether trying the crawl again later may succeed.
        public var isTransient: Bool {
            if case .robotsUnreachable = self { return true }
            return false
        }

        public var description: String {
            switch self {
            case .invalidURL: "the start URL must be an http or https URL"
            case .hostNotVerified(let host): "\(host) is not one of this tenant's verified domains"
            case .robotsUnavailable(let reason), .robotsUnreachable(let reason):
                "robots.txt could not be read (\(reason)), so nothing was crawled"
            }
        }
    }

    /// Crawls from `start` within `domains` (the tenant's verified domains) and returns what it did;
    /// `progress` hears the report after each page.
    ///
    /// Each page's document is keyed `keyPrefix` + its URL: a source of its own per crawl source, so that two
    /// sources covering one page never share (or delete) each other's documents.
    public func crawl(
        from start: String, domains: Set<String>, previous: [String: CrawledPage], tenant: TenantID,
        keyPrefix: String = "url:", progress: (@Sendable (CrawlReport) async -> Void)? = nil
    ) async throws -> CrawlReport {
        guard let start = CrawlURL.normalize(start), let host = start.host else { throw CrawlError.invalidURL }
        let domains = Set(domains.map { $0.lowercased() })
        guard CrawlURL.host(host, isWithin: domains) else { throw CrawlError.hostNotVerified(host) }
        var run = Run(crawler: self, domains: domains, previous: previous, tenant: tenant, keyPrefix: keyPrefix)
        try await run.robots(for: start)  // an unreadable robots.txt stops the crawl before anything is touched
        run.enqueue(start, depth: 0)
        await run.readSitemaps(of: start)
        while let (url, depth) = run.next() {
            try Task.checkCancellation()
            guard run.report.fetched < limits.maxPages, run.report.bytes < limits.maxTotalBytes else {
                run.report.truncated = true
                break
            }
            await run.visit(url, depth: depth)
            await progress?(run.report)
        }
        try await run.removeUnreached()
        return run.report
    }

    /// The state of one crawl.
    private struct Run {
        let crawler: SiteCrawler
        let domains: Set<String>
        let previous: [String: CrawledPage]
        let tenant: TenantID
        let keyPrefix: String
        var report = CrawlReport()
        private var queue: [(url: URL, depth: Int)] = []
        private var head = 0
        /// URLs queued at some point.
        private var seen: Set<String> = []
        /// URLs this crawl decided about (fetched, or refused by robots.txt).
        private var visited: Set<String> = []
        private var robotsByOrigin: [String: RobotsRules] = [:]
        private var lastRequest: ContinuousClock.Instant?
        /// Whether a page could not be read this time (an error, a timeout, an unexpected status): links it would
        /// have given may be missing, so pages not reached are not taken for gone.
        private var incomplete = false
        /// Bytes of links kept in this crawl's page records so far.
        private var recordedLinkBytes = 0

        init(
            crawler: SiteCrawler, domains: Set<String>, previous: [String: CrawledPage], tenant: TenantID,
            keyPrefix: String
        ) {
            self.crawler = crawler
            self.domains = domains
            self.previous = previous
            self.tenant = tenant
            self.keyPrefix = keyPrefix
        }

        var limits: CrawlLimits { crawler.limits }

        mutating func next() -> (URL, Int)? {
            guard head < queue.count else { return nil }
            defer { head += 1 }
            return queue[head]
        }

        /// Whether a URL is on the tenant's domains and not queued yet.
        func isNew(_ url: URL) -> Bool {
            guard let host = url.host, CrawlURL.host(host, isWithin: domains) else { return false }
            return !seen.contains(url.absoluteString)
        }

        mutating func enqueue(_ url: URL, depth: Int) {
            guard isNew(url) else { return }
            // Deeper than allowed, or past as many waiting as the page limit could ever take: a page left out.
            guard depth <= limits.maxDepth, queue.count - head < limits.maxPages * 4 else {
                report.truncated = true
                return
            }
            seen.insert(url.absoluteString)
            queue.append((url, depth))
        }

        /// The robots.txt rules of the URL's origin, read once per crawl.
        @discardableResult
        mutating func robots(for url: URL) async throws -> RobotsRules {
            let origin = CrawlURL.origin(of: url)
            if let known = robotsByOrigin[origin] { return known }
            guard var address = CrawlURL.sibling(of: url, path: "/robots.txt") else {
                throw CrawlError.robotsUnavailable("no robots.txt address for \(origin)")
            }
            let rules: RobotsRules
            do {
                // RFC 9309 §2.3.1.2: follow up to five redirects (within the tenant's domains here).
                var redirects = 0
                while true {
                    await politeness()
                    let page = try await crawler.fetcher.fetch(address, validators: PageValidators(), maxBytes: 4 << 20)
                    switch page.status {
                    case 200:
                        // §2.5: at least the first 500 KiB are read.
                        let text = String(decoding: page.body.prefix(512 << 10), as: UTF8.self)
                        rules = RobotsRules(parsing: text, agent: SiteCrawler.agent)
                    case 301, 302, 303, 307, 308:
                        guard redirects < 5, let location = page.location,
                            let next = CrawlURL.normalize(location, relativeTo: address), let host = next.host,
                            CrawlURL.host(host, isWithin: domains)
                        else { throw CrawlError.robotsUnavailable("robots.txt redirects outside the site") }
                        redirects += 1
                        address = next
                        continue
                    case 400..<500:
                        rules = .allowAll
                    default:
                        throw CrawlError.robotsUnreachable("HTTP \(page.status)")
                    }
                    break
                }
            } catch let error as CrawlError {
                throw error
            } catch FetchError.tooLarge {
                rules = .allowAll  // over 4 MiB: not a robots.txt
            } catch let error as FetchError {
                if case .privateAddress = error { throw CrawlError.robotsUnavailable("\(error)") }
                throw CrawlError.robotsUnreachable("\(error)")
            } catch {
                throw CrawlError.robotsUnreachable("\(error)")
            }
            robotsByOrigin[origin] = rules
            return rules
        }

        /// Queues the pages the site's sitemaps list (robots.txt's `Sitemap` lines, else `/sitemap.xml`), one link
        /// from the start; sitemap indexes are followed up to 20 sitemaps.
        mutating func readSitemaps(of start: URL) async {
            let origin = CrawlURL.origin(of: start)
            var sitemaps =
                robotsByOrigin[origin]?.sitemaps.compactMap { CrawlURL.normalize($0, relativeTo: start) } ?? []
            if sitemaps.isEmpty, let fallback = CrawlURL.sibling(of: start, path: "/sitemap.xml") {
                sitemaps = [fallback]
            }
            var read = 0
            while !sitemaps.isEmpty, read < 20 {
                let sitemap = sitemaps.removeFirst()
                guard let host = sitemap.host, CrawlURL.host(host, isWithin: domains) else { continue }
                read += 1
                await politeness()
                guard
                    let page = try? await crawler.fetcher.fetch(
                        sitemap, validators: PageValidators(), maxBytes: limits.maxPageBytes * 4),
                    page.status == 200
                else { continue }
                report.bytes += page.body.count
                let listing = SitemapReader.read(page.body)
                for link in listing.pages.prefix(limits.maxPages * 4) {
                    if let url = CrawlURL.normalize(link) { enqueue(url, depth: 1) }
                }
                sitemaps += listing.sitemaps.compactMap { CrawlURL.normalize($0) }
            }
        }

        /// Waits out the delay since the last request (a robots.txt `Crawl-delay` when longer, up to 10 s).
        mutating func politeness() async {
            let delay = max(
                limits.delaySeconds,
                min(robotsByOrigin.values.compactMap(\.crawlDelay).max() ?? 0, SiteCrawler.maxCrawlDelay))
            if let last = lastRequest {
                let wait = Duration.milliseconds(Int64(delay * 1_000)) - (ContinuousClock.now - last)
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
            lastRequest = ContinuousClock.now
        }

        /// Fetches one page and stores, keeps or removes its document.
        mutating func visit(_ url: URL, depth: Int) async {
            let key = url.absoluteString
            let known = previous[key]
            visited.insert(key)
            let rules: RobotsRules
            do {
                rules = try await robots(for: url)
            } catch {
                unreadable(key, known, depth: depth, "\(error)")
                return
            }
            guard rules.allows(CrawlURL.robotsPath(of: url)) else {
                // Now off limits: what was read from it before goes too.
                report.disallowed += 1
                await remove(known)
                return
            }
            await politeness()
            report.fetched += 1
            var validators = known?.validators ?? PageValidators()
            if let id = known?.documentID,
                (try? await crawler.store.document(KnowledgeDocumentID(id), tenant: tenant)) == nil
            {
                // Its document was deleted since the last crawl: a 304 would keep the page without it, so the page
                // is read whole and stored again.
                validators = PageValidators()
            }
            let page: FetchedPage
            do {
                page = try await crawler.fetcher.fetch(
                    url, validators: validators,
                    maxBytes: min(limits.maxPageBytes, max(0, limits.maxTotalBytes - report.bytes)))
            } catch {
                if case FetchError.tooLarge = error, report.bytes + limits.maxPageBytes > limits.maxTotalBytes {
                    report.truncated = true  // the crawl's byte budget ran out, not the page's
                }
                unreadable(key, known, depth: depth, "\(error)")
                return
            }
            report.bytes += page.body.count
            switch page.status {
            case 200:
                await read(page, url: url, depth: depth, known: known)
            case 304:
                guard let known else {
                    unreadable(key, nil, depth: depth, "304 Not Modified for a page never stored")
                    return
                }
                report.unchanged += 1
                report.pages[key] = known
                follow(known.links, depth: depth)
            case 301, 302, 303, 307, 308:
                keep(key, nil)
                if let location = page.location, let target = CrawlURL.normalize(location, relativeTo: url) {
                    enqueue(target, depth: depth)
                }
                await remove(known)
            case 404, 410:
                await remove(known)
            default:
                unreadable(key, known, depth: depth, "HTTP \(page.status)")
            }
        }

        private mutating func read(_ page: FetchedPage, url: URL, depth: Int, known: CrawledPage?) async {
            let key = url.absoluteString
            let html = ["text/html", "application/xhtml+xml"].contains(page.mediaType ?? "text/html")
            guard html || page.mediaType == "text/plain" || page.mediaType == "text/markdown" else {
                keep(key, known)
                fail(key, "not a web page (\(page.mediaType ?? "no type"))")
                return
            }
            var content: KnowledgeIngestor.Source.Content
            var title = key
            var links: [String] = []
            var noIndex = false
            if html {
                let parsed: HTMLPage
                do {
                    parsed = try HTMLTextExtractor.page(page.body, charset: page.charset)
                } catch {
                    // A charset libxml2 does not know: let it read the page's own declaration instead.
                    guard let again = try? HTMLTextExtractor.page(page.body, charset: nil) else {
                        unreadable(key, known, depth: depth, "\(error)")
                        return
                    }
                    parsed = again
                }
                let base = parsed.base.flatMap { CrawlURL.normalize($0, relativeTo: url) } ?? url
                if !parsed.noFollow {
                    // Only links the crawl may follow, each once.
                    var unique: Set<String> = []
                    links = parsed.links.compactMap { CrawlURL.normalize($0, relativeTo: base) }
                        .filter { $0.host.map { CrawlURL.host($0, isWithin: domains) } == true }
                        .map(\.absoluteString).filter { unique.insert($0).inserted }
                }
                noIndex = parsed.noIndex
                title = parsed.title.map { String($0.prefix(500)) } ?? key
                content = .markdown(String(parsed.markdown.prefix(KnowledgeIngestor.maxTextCharacters)))
            } else {
                let text = String(decoding: page.body, as: UTF8.self)
                content = page.mediaType == "text/markdown" ? .markdown(text) : .text(text)
                content = Self.capped(content)
            }
            follow(links, depth: depth)
            links = recordable(links)
            guard !noIndex else {
                await remove(known)
                report.pages[key] = CrawledPage(
                    validators: page.validators, contentHash: "", documentID: nil, links: links)
                return
            }
            let hash = SHA256.hash(data: Data("\(title)\u{0}\(content)".utf8)).hexString
            if let known, known.contentHash == hash, let id = known.documentID,
                (try? await crawler.store.document(KnowledgeDocumentID(id), tenant: tenant)) != nil
            {
                report.unchanged += 1
                report.pages[key] = CrawledPage(
                    validators: page.validators, contentHash: hash, documentID: known.documentID, links: links)
                return
            }
            do {
                let result = try await crawler.ingestor.ingest(
                    .init(content: content, sourceKey: keyPrefix + key, title: title, url: key), tenant: tenant)
                if case .unchanged = result { report.unchanged += 1 } else { report.stored += 1 }
                if let old = known?.documentID, old != result.document.id.rawValue {
                    // The page's text now lives under another key (stored before `StoredSourceKey` bounded long
                    // ones): the document it had goes, rather than stay behind unreachable by any re-sync.
                    _ = try? await crawler.store.delete(KnowledgeDocumentID(old), tenant: tenant)
                }
                report.pages[key] = CrawledPage(
                    validators: page.validators, contentHash: hash, documentID: result.document.id.rawValue,
                    links: links)
            } catch IngestionError.empty {
                await remove(known)
                report.pages[key] = CrawledPage(
                    validators: page.validators, contentHash: "", documentID: nil, links: links)
            } catch {
                // The page was read and its links followed; only its text could not be stored. The runner
                // schedules the crawl again soon.
                keep(key, known)
                report.unstored += 1
                // The report is the tenant's to read; an endpoint's own error page is not (see `withoutExcerpts`).
                fail(key, "\((error as? ProviderError)?.withoutExcerpts ?? error)")
            }
        }

        private static func capped(_ content: KnowledgeIngestor.Source.Content) -> KnowledgeIngestor.Source.Content {
            switch content {
            case .text(let text): .text(String(text.prefix(KnowledgeIngestor.maxTextCharacters)))
            case .markdown(let text): .markdown(String(text.prefix(KnowledgeIngestor.maxTextCharacters)))
            case .faq: content
            }
        }

        /// `links`, to keep in the page's record, while the crawl's records have room; none once they are full.
        ///
        /// A page whose record lost its links could hide pages from a later re-sync that reads it as unchanged, so a
        /// crawl that ran out of room counts as truncated: it removes nothing for not being reached.
        private mutating func recordable(_ links: [String]) -> [String] {
            let bytes = links.reduce(0) { $0 + $1.utf8.count }
            guard recordedLinkBytes + bytes <= crawler.maxRecordedLinkBytes else {
                report.truncated = true
                return []
            }
            recordedLinkBytes += bytes
            return links
        }

        private mutating func follow(_ links: [String], depth: Int) {
            for link in links { if let url = URL(string: link) { enqueue(url, depth: depth + 1) } }
        }

        /// Keeps the previous record of a page this crawl could not read, so nothing is lost or removed for it.
        private mutating func keep(_ key: String, _ known: CrawledPage?) {
            if let known { report.pages[key] = known }
        }

        /// A page this crawl could not read: its previous record is kept, the links it had are followed (the pages
        /// they reach are not gone because this one failed for a moment), and no page is removed for not being
        /// reached this time.
        private mutating func unreadable(_ key: String, _ known: CrawledPage?, depth: Int, _ reason: String) {
            keep(key, known)
            follow(known?.links ?? [], depth: depth)
            incomplete = true
            fail(key, reason)
        }

        private mutating func fail(_ key: String, _ reason: String) {
            if report.failures.count < 100 { report.failures[key] = reason }
        }

        private mutating func remove(_ known: CrawledPage?) async {
            guard let id = known?.documentID else { return }
            if (try? await crawler.store.delete(KnowledgeDocumentID(id), tenant: tenant)) == true {
                report.removed += 1
            }
        }

        /// After a crawl that went everywhere it could and read every page it reached, removes the documents of
        /// pages no longer reached.
        mutating func removeUnreached() async throws {
            for (key, page) in previous where report.pages[key] == nil && !visited.contains(key) {
                if report.truncated || incomplete {
                    report.pages[key] = page  // not reached this time, but it may still be there: keep it
                } else {
                    await remove(page)
                }
            }
        }
    }
}
