/// What tells a server which copy of a page the crawler has (`ETag`, `Last-Modified`), so that it can answer
/// 304 Not Modified.
public struct PageValidators: Sendable, Codable, Equatable {
    public var etag: String?
    public var lastModified: String?

    /// Makes validators; none means the page is new to the crawler.
    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    enum CodingKeys: String, CodingKey {
        case etag
        case lastModified = "last_modified"
    }
}
