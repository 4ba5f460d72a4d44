/// How far a crawl may go: pages, link depth, bytes, and how gently.
public struct CrawlLimits: Sendable, Codable, Equatable {
    /// Pages fetched at most (robots.txt and sitemaps not counted).
    public var maxPages = 200
    /// Links followed from the start page at most (sitemap pages count as one link away).
    public var maxDepth = 5
    /// The largest page read; a larger one is skipped, with a reason.
    public var maxPageBytes = 2 << 20
    /// Bytes read in the whole crawl at most.
    public var maxTotalBytes = 100 << 20
    /// Seconds between two requests to the site; a larger robots.txt `Crawl-delay` (up to 10 s) wins.
    public var delaySeconds = 0.5

    /// The bounds an API caller may choose within.
    public static let maxAllowedPages = 5_000
    public static let maxAllowedDepth = 20

    /// The default limits.
    public init() {}

    /// Limits with any of the values changed.
    public init(maxPages: Int? = nil, maxDepth: Int? = nil, delaySeconds: Double? = nil) {
        if let maxPages { self.maxPages = maxPages }
        if let maxDepth { self.maxDepth = maxDepth }
        if let delaySeconds { self.delaySeconds = delaySeconds }
    }

    enum CodingKeys: String, CodingKey {
        case maxPages = "max_pages"
        case maxDepth = "max_depth"
        case maxPageBytes = "max_page_bytes"
        case maxTotalBytes = "max_total_bytes"
        case delaySeconds = "delay_seconds"
    }
}
