/// An HTML page as the crawler reads it: its text, the links on it, and its robots `<meta>` directives.
public struct HTMLPage: Sendable, Equatable {
    /// `<title>`, else the first heading.
    public var title: String?
    /// The main content as Markdown.
    public var markdown = ""
    /// `href` values as written (relative ones included), except `rel="nofollow"` links.
    public var links: [String] = []
    /// `<base href>`, which relative links resolve against.
    public var base: String?
    /// `noindex`: the page must not be stored.
    public var noIndex = false
    /// `nofollow`: its links must not be followed.
    public var noFollow = false

    /// An empty page.
    public init() {}
}
