/// A site's robots.txt (RFC 9309) as it applies to one crawler: which paths it may fetch, how long it should wait
/// between requests, and the sitemaps the site lists.
public struct RobotsRules: Sendable, Equatable {
    /// One `Allow` or `Disallow` line.
    struct Rule: Sendable, Equatable {
        var allow: Bool
        var pattern: String
    }

    private var rules: [Rule]
    /// `Crawl-delay` for this crawler, in seconds (not in the RFC, but widely used).
    public var crawlDelay: Double?
    /// `Sitemap` lines, whichever group they appear in.
    public var sitemaps: [String]

    /// Rules that allow everything: a site without robots.txt.
    public static let allowAll = RobotsRules(rules: [], crawlDelay: nil, sitemaps: [])
    /// Rules that allow nothing: a site whose robots.txt cannot be read (RFC 9309 §2.3.1.4).
    public static let disallowAll = RobotsRules(
        rules: [Rule(allow: false, pattern: "/")], crawlDelay: nil, sitemaps: [])

    private init(rules: [Rule], crawlDelay: Double?, sitemaps: [String]) {
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
    }

    /// Reads robots.txt for the crawler whose product token is `agent`.
    ///
    /// The groups naming the agent (its product token, case-insensitively; a version after `/` is ignored) apply,
    /// merged; without one, the `*` groups do.
    public init(parsing text: String, agent: String) {
        let token = agent.lowercased()
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        var named: [Rule] = []
        var wildcard: [Rule] = []
        var namedDelay: Double?
        var wildcardDelay: Double?
        var sawNamed = false
        var sitemaps: [String] = []
        // The agents of the group being read, and whether its rules have started (a User-agent line after a rule
        // starts a new group).
        var agents: [String] = []
        var inRules = false
        for rawLine in text.split(whereSeparator: \.isNewline).prefix(10_000) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if inRules {
                    agents = []
                    inRules = false
                }
                let product = value.split(separator: "/", maxSplits: 1).first.map(String.init) ?? value
                agents.append(product.trimmingCharacters(in: .whitespaces).lowercased())
            case "allow", "disallow", "crawl-delay":
                inRules = true
                let forUs = agents.contains(token)
                if forUs { sawNamed = true }
                guard forUs || agents.contains("*") else { continue }
                if key == "crawl-delay" {
                    guard let seconds = Double(value), seconds.isFinite, seconds >= 0 else { continue }
                    if forUs { namedDelay = seconds } else { wildcardDelay = seconds }
                    continue
                }
                // An empty Disallow allows everything: it adds no rule (but still makes the group ours).
                guard !value.isEmpty else { continue }
                let rule = Rule(allow: key == "allow", pattern: Self.canonical(value))
                if forUs { named.append(rule) } else { wildcard.append(rule) }
            case "sitemap":
                if !value.isEmpty, sitemaps.count < 100 { sitemaps.append(value) }
            default:
                continue
            }
        }
        self.init(
            rules: sawNamed ? named : wildcard, crawlDelay: sawNamed ? namedDelay : wildcardDelay, sitemaps: sitemaps)
    }

    /// Whether the crawler may fetch `path` (the URL's path and query).
    ///
    /// The longest matching pattern decides; between an `Allow` and a `Disallow` of the same length, `Allow` wins.
    /// `/robots.txt` is always allowed.
    public func allows(_ path: String) -> Bool {
        if path == "/robots.txt" { return true }
        let path = Self.canonical(path)
        var best: Rule?
        for rule in rules where Self.matches(rule.pattern, path) {
            guard let current = best else {
                best = rule
                continue
            }
            if rule.pattern.utf8.count > current.pattern.utf8.count
                || (rule.pattern.utf8.count == current.pattern.utf8.count && rule.allow)
            {
                best = rule
            }
        }
        return best?.allow ?? true
    }

    /// A path or pattern in the one form both are compared in (RFC 9309 §2.2.2).
    ///
    /// Bytes outside ASCII are percent-encoded, escapes of unreserved characters (letters, digits, `-._~`)
    /// decoded, and the other escapes' hex digits put in upper case. `Disallow: /fr/café` then matches
    /// `/fr/caf%C3%A9` and `/fr/caf%c3%a9`, and `/%7Euser` matches `/~user`, while `/a%2Fb` stays apart from `/a/b`.
    static func canonical(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "%") }) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        let hexDigits = Array("0123456789ABCDEF".utf8)
        func appendEscape(_ byte: UInt8) {
            result += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                let value = high << 4 | low
                if isUnreserved(value) { result.append(value) } else { appendEscape(value) }
                index += 3
            } else {
                if byte >= 0x80 { appendEscape(byte) } else { result.append(byte) }
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// Whether a robots.txt pattern (`*` any run of characters, a final `$` the end) matches the start of `path`.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var pattern = Substring(pattern)
        let anchored = pattern.hasSuffix("$")
        if anchored { pattern = pattern.dropLast() }
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(path)
        for (index, piece) in pieces.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(piece) else { return false }
                rest = rest.dropFirst(piece.count)
                continue
            }
            if piece.isEmpty { continue }
            if anchored, index == pieces.count - 1 {
                // The last piece must end the path.
                return rest.hasSuffix(piece)
            }
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return !anchored || rest.isEmpty || (pieces.count > 1 && pieces.last?.isEmpty == true)
    }
}
