import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A small website on loopback for crawler tests: pages that change, disappear and answer 304 to a matching
/// `If-None-Match`, a robots.txt that disallows a folder, a sitemap, a Latin-1 page, an endless chain of links, and a
/// page that trickles in a byte at a time (`/trickle`).
final class TestSite: Sendable {
    /// Path → HTML; tests change it between crawls.
    let pages: Mutex<[String: String]>
    /// Path → requests received.
    let requests = Mutex<[String: Int]>([:])
    /// Paths answered with 304 Not Modified.
    let notModified = Mutex<[String]>([])
    /// Whether robots.txt answers 503.
    let robotsDown = Mutex(false)
    /// Paths answered with 503 Service Unavailable, as a page down for a moment.
    let failing = Mutex<Set<String>>([])

    init() {
        pages = Mutex([
            "/": """
            <html><head><title>Home</title></head><body><nav><a href="/about">About</a> <a href="/shipping">Shipping</a>
            <a href="/private/secrets">Private</a> <a href="mailto:x@example.com">Mail</a> <a href="/trap/1">More</a>
            <a href="https://elsewhere.example.org/page">Elsewhere</a></nav>
            <main><h1>Welcome to the shop</h1><p>We sell handmade ceramic mugs.</p></main></body></html>
            """,
            "/about": "<html><title>About us</title><main><p>A family workshop since 1987.</p></main></html>",
            "/shipping": """
            <html><title>Shipping</title><main><h1>Shipping</h1><p>Parcels leave within two days.</p>
            <a href="/shipping#rates">Rates</a> <a href="/returns" rel="nofollow">Returns</a></main></html>
            """,
            "/returns": "<html><title>Returns</title><main><p>Thirty days to return.</p></main></html>",
            "/private/secrets": "<html><title>Secret</title><main><p>The staff password list.</p></main></html>",
            "/from-sitemap": "<html><title>Care</title><main><p>Mugs are dishwasher safe.</p></main></html>",
            "/hidden": """
            <html><head><meta name="robots" content="noindex"><title>Hidden</title></head>
            <main><p>Draft page about glazes.</p></main></html>
            """,
        ])
    }

    /// The page served as Latin-1 (its header says so): "Café crème, déjà vu".
    static let latin1Body: [UInt8] = Array(
        "<html><title>Caf\u{E9}</title><main><p>Caf\u{E9} cr\u{E8}me, d\u{E9}j\u{E0} vu.</p></main></html>"
            .unicodeScalars.map { UInt8($0.value) })

    /// Runs the site on a free loopback port for the length of `body`.
    func run(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let path = request.uri.path
            self.requests.withLock { $0[path, default: 0] += 1 }
            switch path {
            case "/robots.txt":
                if self.robotsDown.withLock({ $0 }) { return Response(status: .serviceUnavailable) }
                return Self.text("User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n", type: "text/plain")
            case "/sitemap.xml":
                return Self.text(
                    """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                      <url><loc>http://\(request.head.authority ?? "127.0.0.1")/from-sitemap</loc></url>
                      <url><loc>http://\(request.head.authority ?? "127.0.0.1")/latin1</loc></url>
                      <url><loc>http://\(request.head.authority ?? "127.0.0.1")/hidden</loc></url>
                    </urlset>
                    """, type: "application/xml")
            case "/trickle":
                // Headers at once, then a byte every 300 ms for a minute: never idle long enough for a read timeout.
                let body = ResponseBody { writer in
                    for _ in 0..<200 {
                        try await Task.sleep(for: .milliseconds(300))
                        try await writer.write(ByteBuffer(string: " "))
                    }
                    try await writer.finish(nil)
                }
                return Response(status: .ok, headers: [.contentType: "text/html"], body: body)
            case "/latin1":
                return Response(
                    status: .ok, headers: [.contentType: "text/html; charset=iso-8859-1"],
                    body: .init(byteBuffer: ByteBuffer(bytes: Self.latin1Body)))
            default:
                break
            }
            if path.hasPrefix("/trap/"), let number = Int(path.dropFirst("/trap/".count)) {
                // An endless chain: every page links to the next two.
                return Self.text(
                    "<html><title>Page \(number)</title><main><p>Archive page \(number).</p>"
                        + "<a href=\"/trap/\(number + 1)\">next</a> <a href=\"/trap/\(number * 2 + 7)\">skip</a>"
                        + "</main></html>", type: "text/html")
            }
            if self.failing.withLock({ $0.contains(path) }) { return Response(status: .serviceUnavailable) }
            guard let html = self.pages.withLock({ $0[path] }) else {
                return Response(status: .notFound)
            }
            let etag = "\"\(html.hashValue)\""
            if request.headers[.ifNoneMatch] == etag {
                self.notModified.withLock { $0.append(path) }
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            var response = Self.text(html, type: "text/html; charset=utf-8")
            response.headers[.eTag] = etag
            return response
        }
        router.get("/", use: handler)
        router.get("/**", use: handler)
        try await Application(router: router).test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    private static func text(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
