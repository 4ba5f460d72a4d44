import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads a sitemap (sitemaps.org): the page URLs of a `<urlset>`, or the sitemap URLs of a `<sitemapindex>`.
public enum SitemapReader {
    /// The most URLs read from one sitemap, as the protocol allows.
    public static let maxURLs = 50_000

    /// What one sitemap lists.
    public struct Listing: Sendable, Equatable {
        /// Pages to crawl.
        public var pages: [String] = []
        /// Further sitemaps (from a sitemap index).
        public var sitemaps: [String] = []

        /// An empty listing.
        public init() {}
    }

    /// The URLs `data` lists; empty when it is not a sitemap.
    public static func read(_ data: Data) -> Listing {
        let reader = LocationReader()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        parser.parse()
        return reader.listing
    }
}

/// Collects the `<loc>` of each `<url>` and `<sitemap>` element.
private final class LocationReader: NSObject, XMLParserDelegate {
    var listing = SitemapReader.Listing()
    private var parent: String?
    private var text: String?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let local = Self.local(name)
        if local == "url" || local == "sitemap" { parent = local }
        if local == "loc", parent != nil { text = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if text != nil, text!.utf8.count < 4_096 { text! += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let local = Self.local(name)
        if local == "loc", let found = text?.trimmingCharacters(in: .whitespacesAndNewlines), !found.isEmpty {
            if parent == "url" {
                listing.pages.append(found)
            } else if parent == "sitemap" {
                listing.sitemaps.append(found)
            }
            if listing.pages.count + listing.sitemaps.count >= SitemapReader.maxURLs { parser.abortParsing() }
        }
        if local == "loc" { text = nil }
        if local == "url" || local == "sitemap" { parent = nil }
    }

    /// An element's name without its namespace prefix.
    private static func local(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }
}
