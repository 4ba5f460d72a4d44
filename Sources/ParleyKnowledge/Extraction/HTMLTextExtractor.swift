import CLibXML2
import Foundation

/// Reads the main content of an HTML page as Markdown, with libxml2's HTML parser (tolerant of real-world markup).
///
/// Scripts, styles, navigation, headers, footers, forms, asides and cookie banners are dropped; headings become
/// `#` lines and list items `- ` lines, so the chunker keeps the page's structure. When the page marks its main
/// content (`<main>`, `<article>`, `role="main"`), only that is read.
public enum HTMLTextExtractor {
    /// The page's title (`<title>`, else its first heading) and its text.
    public static func extract(_ data: Data) throws(ExtractionError) -> (title: String?, markdown: String) {
        let page = try page(data, charset: nil)
        return (page.title, page.markdown)
    }

    /// A page read for the crawler as well: its text, the links on it (navigation included) and what its
    /// `<meta name="robots">` says.
    ///
    /// `charset` is the one the `Content-Type` header named. Without one, bytes that are valid UTF-8 are read as
    /// UTF-8, and otherwise libxml2 follows the page's `<meta charset>` (or reads Latin-1).
    public static func page(_ data: Data, charset: String?) throws(ExtractionError) -> HTMLPage {
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        let encoding = charset ?? (String(validating: data, as: UTF8.self) != nil ? "UTF-8" : nil)
        let document = data.withUnsafeBytes { bytes -> htmlDocPtr? in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return htmlReadMemory(base, Int32(bytes.count), nil, encoding, options)
        }
        guard let document else { throw ExtractionError("the HTML could not be parsed") }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { return HTMLPage() }
        var writer = MarkdownWriter()
        let title = firstText(named: "title", under: root)
        let content = mainContent(under: root) ?? root
        writer.walk(content)
        var page = HTMLPage()
        page.markdown = writer.finish()
        page.title = title ?? writer.firstHeading
        collectLinks(under: root, into: &page)
        return page
    }

    /// The most links read from one page.
    public static let maxLinks = 1_000

    /// Every `<a href>`, the `<base href>`, and the robots `<meta>` of the whole document.
    private static func collectLinks(under node: xmlNodePtr, into page: inout HTMLPage) {
        var stack = [node]
        while let current = stack.popLast() {
            guard current.pointee.type == XML_ELEMENT_NODE else { continue }
            switch name(current) {
            case "a", "area":
                let href = rawAttribute(current, "href")
                let rel = attribute(current, "rel")
                if !href.isEmpty, !rel.split(separator: " ").contains("nofollow"), page.links.count < maxLinks {
                    page.links.append(href)
                }
            case "base":
                if page.base == nil, !rawAttribute(current, "href").isEmpty {
                    page.base = rawAttribute(current, "href")
                }
            case "meta":
                if ["robots", "parleybot"].contains(attribute(current, "name")) {
                    let directives = attribute(current, "content").split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    if directives.contains("noindex") || directives.contains("none") { page.noIndex = true }
                    if directives.contains("nofollow") || directives.contains("none") { page.noFollow = true }
                }
            default:
                break
            }
            var child = current.pointee.children
            var found: [xmlNodePtr] = []
            while let next = child {
                found.append(next)
                child = next.pointee.next
            }
            stack.append(contentsOf: found.reversed())
        }
    }

    /// Elements whose content is never part of the page's text.
    ///
    /// `<head>` itself is read: libxml2 (2.9) does not know HTML5's `<main>` or `<article>`, and on a page that
    /// opens no `<body>` it leaves them inside the head, so only the head's own elements are dropped.
    static let dropped: Set<String> = [
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
        "button", "select", "input", "textarea", "title", "meta", "link", "base", "dialog", "menu",
    ]
    /// Words in an element's id or class that mark boilerplate.
    static let boilerplate = [
        "cookie", "consent", "banner", "navbar", "navheader", "navigation", "breadcrumb", "sidebar", "footer", "menu",
        "popup",
    ]

    static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    static func attribute(_ node: xmlNodePtr, _ key: String) -> String {
        rawAttribute(node, key).lowercased()
    }

    /// An attribute's value as written (a URL's path is case-sensitive).
    static func rawAttribute(_ node: xmlNodePtr, _ key: String) -> String {
        guard let value = xmlGetProp(node, key) else { return "" }
        defer { parley_xml_free(value) }
        return String(cString: value).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `<main>`, `<article>` or `role="main"` element, if the page has one.
    private static func mainContent(under node: xmlNodePtr) -> xmlNodePtr? {
        var stack = [node]
        while let current = stack.popLast() {
            guard current.pointee.type == XML_ELEMENT_NODE else { continue }
            let tag = name(current)
            if tag == "main" || tag == "article" || attribute(current, "role") == "main" { return current }
            if dropped.contains(tag) { continue }
            var child = current.pointee.children
            var found: [xmlNodePtr] = []
            while let next = child {
                found.append(next)
                child = next.pointee.next
            }
            stack.append(contentsOf: found.reversed())
        }
        return nil
    }

    private static func firstText(named tag: String, under node: xmlNodePtr) -> String? {
        var stack = [node]
        while let current = stack.popLast() {
            if current.pointee.type == XML_ELEMENT_NODE, name(current) == tag {
                guard let content = xmlNodeGetContent(current) else { return nil }
                defer { parley_xml_free(content) }
                let text = String(cString: content).collapsingWhitespace()
                return text.isEmpty ? nil : text
            }
            var child = current.pointee.children
            while let next = child {
                stack.append(next)
                child = next.pointee.next
            }
        }
        return nil
    }
}

/// Turns a walk over the DOM into Markdown blocks.
struct MarkdownWriter {
    private var blocks: [String] = []
    private var line = ""
    private(set) var firstHeading: String?

    /// Writes the node and what is under it; the recursion is as deep as the page's nesting, which libxml2's parser
    /// caps (256 levels without `HTML_PARSE_HUGE`, which is never set).
    mutating func walk(_ node: xmlNodePtr) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { line += String(cString: content) }
        case XML_ELEMENT_NODE:
            element(node)
        default:
            break
        }
    }

    private mutating func element(_ node: xmlNodePtr) {
        let tag = HTMLTextExtractor.name(node)
        if HTMLTextExtractor.dropped.contains(tag) { return }
        let marks = HTMLTextExtractor.attribute(node, "id") + " " + HTMLTextExtractor.attribute(node, "class")
        if HTMLTextExtractor.boilerplate.contains(where: { marks.contains($0) }) { return }
        if HTMLTextExtractor.attribute(node, "aria-hidden") == "true" || xmlHasProp(node, "hidden") != nil { return }
        switch tag {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            flush()
            walkChildren(node)
            let text = line.collapsingWhitespace()
            line = ""
            if !text.isEmpty {
                if firstHeading == nil { firstHeading = text }
                blocks.append(String(repeating: "#", count: Int(tag.dropFirst())!) + " " + text)
            }
        case "li":
            flush()
            walkChildren(node)
            let text = line.collapsingWhitespace()
            line = ""
            if !text.isEmpty { blocks.append("- " + text) }
        case "br":
            line += "\n"
        case "td", "th":
            walkChildren(node)
            line += " | "
        case "p", "div", "section", "tr", "table", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "figure",
            "figcaption", "body", "main", "article", "address", "details", "summary":
            flush()
            walkChildren(node)
            flush()
        default:
            walkChildren(node)
        }
    }

    private mutating func walkChildren(_ node: xmlNodePtr) {
        var child = node.pointee.children
        while let next = child {
            walk(next)
            child = next.pointee.next
        }
    }

    /// Ends the current paragraph.
    private mutating func flush() {
        let text = line.collapsingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "| "))
        if !text.isEmpty { blocks.append(text) }
        line = ""
    }

    mutating func finish() -> String {
        flush()
        return blocks.joined(separator: "\n\n")
    }
}
