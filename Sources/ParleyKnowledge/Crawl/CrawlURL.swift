import Foundation

/// URLs as the crawler keeps them: absolute http(s), no fragment, host lower-cased, default port dropped, an empty
/// path as `/`, and at most 2,048 characters, so one page is one key however it is linked.
public enum CrawlURL {
    /// The longest URL followed.
    public static let maxLength = 2_048

    /// `link` resolved against `base` and normalised; nil for anything the crawler does not follow (mailto:,
    /// javascript:, other schemes, or malformed).
    public static func normalize(_ link: String, relativeTo base: URL? = nil) -> URL? {
        let trimmed = link.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= maxLength,
            let resolved = URL(string: trimmed, relativeTo: base)?.absoluteURL,
            var components = URLComponents(url: resolved, resolvingAgainstBaseURL: true),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        components.scheme = scheme
        components.host = host.lowercased()
        components.fragment = nil
        components.user = nil
        components.password = nil
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        if components.path.isEmpty { components.path = "/" }
        guard let url = components.url, url.absoluteString.utf8.count <= maxLength else { return nil }
        return url
    }

    /// `scheme://host[:port]` of a URL, which robots.txt and politeness are kept per.
    public static func origin(of url: URL) -> String {
        "\(url.scheme ?? "http")://\(url.host ?? "")" + (url.port.map { ":\($0)" } ?? "")
    }

    /// Another path on the URL's origin (`/robots.txt`, `/sitemap.xml`).
    public static func sibling(of url: URL, path: String) -> URL? {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return nil }
        components.path = path
        components.query = nil
        components.fragment = nil
        return components.url
    }

    /// The path and query robots.txt rules are matched against.
    public static func robotsPath(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath.isEmpty == false ? components!.percentEncodedPath : "/"
        return components?.percentEncodedQuery.map { path + "?" + $0 } ?? path
    }

    /// Whether `host` is one of `allowed` or a subdomain of one.
    public static func host(_ host: String, isWithin allowed: Set<String>) -> Bool {
        let host = host.lowercased()
        return allowed.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}
