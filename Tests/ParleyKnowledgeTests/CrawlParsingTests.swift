import Foundation
import ParleyAI
import ParleyCore
import Testing

@testable import ParleyKnowledge

/// The crawler's readers: robots.txt (RFC 9309), sitemaps, and URL normalisation.
@Suite("Crawl parsing")
struct CrawlParsingTests {
    static let robots = """
        # comments and unknown lines are ignored
        User-agent: *
        Disallow: /private/
        Allow: /private/press
        Disallow: /*.pdf$
        Crawl-delay: 2

        User-agent: OtherBot
        Disallow: /

        Sitemap: https://shop.example.com/sitemap.xml
        """

    @Test("the * group applies when no group names the crawler; the longest pattern wins, Allow on a tie")
    func wildcardGroup() {
        let rules = RobotsRules(parsing: Self.robots, agent: "ParleyBot")
        #expect(rules.allows("/"))
        #expect(!rules.allows("/private/"))
        #expect(!rules.allows("/private/staff.html"))
        #expect(rules.allows("/private/press/2024"))
        #expect(!rules.allows("/files/price-list.pdf"))
        #expect(rules.allows("/files/price-list.pdf?download=1"), "$ anchors the end")
        #expect(rules.allows("/robots.txt"))
        #expect(rules.crawlDelay == 2)
        #expect(rules.sitemaps == ["https://shop.example.com/sitemap.xml"])
        let tie = RobotsRules(parsing: "User-agent: *\nDisallow: /a\nAllow: /a\n", agent: "ParleyBot")
        #expect(tie.allows("/a/b"))
    }

    @Test("a group naming the crawler replaces the * group; an empty Disallow allows all")
    func namedGroup() {
        let text = Self.robots + "\n\nUser-agent: parleybot\nUser-agent: another\nDisallow: /cart\n"
        let rules = RobotsRules(parsing: text, agent: "ParleyBot")
        #expect(rules.allows("/private/staff.html"))
        #expect(!rules.allows("/cart/checkout"))
        #expect(rules.crawlDelay == nil)
        let other = RobotsRules(parsing: text, agent: "OtherBot")
        #expect(!other.allows("/anything"))
        #expect(RobotsRules(parsing: "User-agent: *\nDisallow:\n", agent: "ParleyBot").allows("/x"))
        #expect(!RobotsRules.disallowAll.allows("/x") && RobotsRules.allowAll.allows("/x"))
    }

    @Test("wildcards match any run of characters")
    func wildcards() {
        let rules = RobotsRules(parsing: "User-agent: *\nDisallow: /*/print\nDisallow: /search*q=\n", agent: "P")
        #expect(!rules.allows("/docs/intro/print"))
        #expect(!rules.allows("/search?lang=en&q=mugs"))
        #expect(rules.allows("/search?lang=en"))
        #expect(rules.allows("/printable"))
    }

    @Test("paths and patterns compare percent-encoded: non-ASCII, escape case and unreserved escapes agree")
    func percentEncoding() {
        let rules = RobotsRules(
            parsing: "User-agent: *\nDisallow: /fr/café\nDisallow: /%7Estaff/\nDisallow: /a%2fb\n", agent: "P")
        // The crawler asks with the URL's percent-encoded path (`CrawlURL.robotsPath`).
        #expect(!rules.allows("/fr/caf%C3%A9"))
        #expect(!rules.allows("/fr/caf%c3%a9/menu"))
        #expect(!rules.allows("/~staff/list") && !rules.allows("/%7estaff/list"))
        #expect(!rules.allows("/a%2Fb"))
        #expect(rules.allows("/a/b"), "an encoded slash is not a path separator")
        #expect(rules.allows("/fr/cafe"))
        #expect(RobotsRules.canonical("/plain/path?q=1") == "/plain/path?q=1")
        #expect(RobotsRules.canonical("/100%") == "/100%", "a lone % stays as it is")
    }

    @Test("a sitemap lists pages; a sitemap index lists sitemaps; anything else lists nothing")
    func sitemaps() {
        let urlset = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc> https://shop.example.com/ </loc><lastmod>2026-01-01</lastmod></url>
              <url><loc>https://shop.example.com/mugs?color=blue&amp;size=l</loc></url>
            </urlset>
            """
        #expect(
            SitemapReader.read(Data(urlset.utf8)).pages
                == ["https://shop.example.com/", "https://shop.example.com/mugs?color=blue&size=l"])
        let index = """
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://shop.example.com/sitemap-1.xml</loc></sitemap>
            </sitemapindex>
            """
        let listing = SitemapReader.read(Data(index.utf8))
        #expect(listing.sitemaps == ["https://shop.example.com/sitemap-1.xml"] && listing.pages.isEmpty)
        #expect(SitemapReader.read(Data("<html><body>not a sitemap".utf8)) == SitemapReader.Listing())
    }

    @Test("URLs are resolved and normalised so one page is one key; other schemes are dropped")
    func urls() {
        let base = URL(string: "https://Shop.Example.com:443/guides/care.html")!
        #expect(
            CrawlURL.normalize("../about#team", relativeTo: base)?.absoluteString == "https://shop.example.com/about")
        #expect(CrawlURL.normalize("HTTP://Shop.Example.com:80")?.absoluteString == "http://shop.example.com/")
        #expect(
            CrawlURL.normalize("?page=2", relativeTo: base)?.absoluteString
                == "https://shop.example.com/guides/care.html?page=2")
        for skipped in ["mailto:a@b.c", "javascript:alert(1)", "ftp://shop.example.com/", "", "https://"] {
            #expect(CrawlURL.normalize(skipped, relativeTo: base) == nil, "\(skipped)")
        }
        #expect(CrawlURL.normalize("/" + String(repeating: "a", count: 3_000), relativeTo: base) == nil)
        #expect(CrawlURL.host("blog.shop.example.com", isWithin: ["shop.example.com"]))
        #expect(!CrawlURL.host("evilshop.example.com", isWithin: ["shop.example.com"]))
        #expect(CrawlURL.robotsPath(of: URL(string: "https://a.b/x/y?z=1")!) == "/x/y?z=1")
    }

    @Test("IPv6 addresses that embed an IPv4 one are judged by it; other IPv6 by its own ranges")
    func embeddedAddresses() {
        func v6(_ text: String) -> [UInt8] {
            var address = in6_addr()
            #expect(inet_pton(AF_INET6, text, &address) == 1, "\(text)")
            return withUnsafeBytes(of: address) { Array($0) }
        }
        for (text, isPublic) in [
            ("2606:4700::1111", true), ("64:ff9b::808:808", true), ("::ffff:8.8.8.8", true), ("2002:808:808::1", true),
            ("::ffff:10.0.0.5", false), ("::10.0.0.5", false), ("64:ff9b::10.0.0.5", false),
            ("64:ff9b:1::808:808", false), ("2002:c0a8:1::1", false), ("::", false), ("::1", false),
            ("fe80::1", false), ("fd12::1", false),
        ] {
            #expect(NetworkAddresses.isPublic(v6(text)) == isPublic, "\(text)")
        }
        // The text form a pinned connection is made to.
        #expect(NetworkAddresses.text(v6("2606:4700::1111")) == "2606:4700::1111")
        #expect(NetworkAddresses.text([203, 0, 113, 7]) == "203.0.113.7")
    }

    @Test("the fetcher refuses loopback, private, link-local and mapped addresses before connecting")
    func privateAddresses() async throws {
        let fetcher = HTTPPageFetcher(timeout: 2)
        for address in [
            "http://127.0.0.1:9/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/",
            "http://192.168.0.1/", "http://172.20.0.1/", "http://[::1]:9/", "http://[::ffff:127.0.0.1]/",
            "http://[fd00::1]/", "http://localhost:9/", "http://100.64.0.1/",
            // IPv6 forms that reach a private IPv4 host: compatible, NAT64, local-use NAT64, 6to4.
            "http://[::a00:5]/", "http://[::]:9/", "http://[64:ff9b::a00:5]/", "http://[64:ff9b::7f00:1]:9/",
            "http://[64:ff9b:1::a00:5]/", "http://[2002:a00:5::1]/", "http://[2002:a9fe:a9fe::1]/",
        ] {
            do {
                _ = try await fetcher.fetch(URL(string: address)!, validators: PageValidators(), maxBytes: 1_024)
                Issue.record("\(address) was fetched")
            } catch FetchError.privateAddress {
                continue
            } catch {
                Issue.record("\(address): \(error)")
            }
        }
        await fetcher.shutdown()
    }
}
