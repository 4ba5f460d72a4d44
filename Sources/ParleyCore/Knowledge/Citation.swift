/// Where a statement of a reply comes from, as the visitor sees it.
public struct Citation: Sendable, Equatable, Codable {
    /// The knowledge document's id.
    public var source: String
    public var title: String
    public var url: String?

    /// Makes a citation.
    public init(source: String, title: String, url: String?) {
        self.source = source
        self.title = title
        self.url = url
    }
}
