/// What one crawl did, and the page records to start the next one from.
public struct CrawlReport: Sendable, Codable, Equatable {
    /// Every page known after the crawl, by URL.
    public var pages: [String: CrawledPage] = [:]
    /// Pages requested (robots.txt and sitemaps not counted).
    public var fetched = 0
    /// Pages stored new or changed.
    public var stored = 0
    /// Pages that had not changed (304, or the same text).
    public var unchanged = 0
    /// Documents removed: their pages are gone (404, 410, noindex) or no longer linked after a complete crawl.
    public var removed = 0
    /// Pages robots.txt kept the crawler from.
    public var disallowed = 0
    /// Pages that failed, with the reason, by URL (at most 100).
    public var failures: [String: String] = [:]
    /// Pages read whose text could not be stored (the embeddings endpoint or the database failed); their failures
    /// are among `failures`.
    public var unstored = 0
    /// Whether a limit (pages, bytes) ended the crawl before every link was followed.
    public var truncated = false
    /// Bytes read.
    public var bytes = 0

    /// An empty report.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case pages, fetched, stored, unchanged, removed, disallowed, failures, unstored, truncated, bytes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pages = try container.decode([String: CrawledPage].self, forKey: .pages)
        fetched = try container.decode(Int.self, forKey: .fetched)
        stored = try container.decode(Int.self, forKey: .stored)
        unchanged = try container.decode(Int.self, forKey: .unchanged)
        removed = try container.decode(Int.self, forKey: .removed)
        disallowed = try container.decode(Int.self, forKey: .disallowed)
        failures = try container.decode([String: String].self, forKey: .failures)
        // Reports stored before this count existed have none.
        unstored = try container.decodeIfPresent(Int.self, forKey: .unstored) ?? 0
        truncated = try container.decode(Bool.self, forKey: .truncated)
        bytes = try container.decode(Int.self, forKey: .bytes)
    }
}
