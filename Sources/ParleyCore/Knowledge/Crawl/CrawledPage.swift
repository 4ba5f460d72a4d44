/// What the crawler keeps of a page between crawls: how to ask whether it changed, what it stored, and where it
/// linked (so that a page answered with 304 Not Modified still leads on).
public struct CrawledPage: Sendable, Codable, Equatable {
    public var validators: PageValidators
    /// SHA-256 of the text stored, hex; empty when nothing was stored (a `noindex` page).
    public var contentHash: String
    /// The knowledge document made from it.
    public var documentID: String?
    /// The page's links, normalised, as last read.
    public var links: [String]

    /// Makes a page record.
    public init(validators: PageValidators, contentHash: String, documentID: String?, links: [String]) {
        self.validators = validators
        self.contentHash = contentHash
        self.documentID = documentID
        self.links = links
    }

    enum CodingKeys: String, CodingKey {
        case validators, links
        case contentHash = "content_hash"
        case documentID = "document_id"
    }
}
