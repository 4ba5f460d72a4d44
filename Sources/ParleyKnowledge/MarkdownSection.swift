import Foundation

/// A run of Markdown body text under one heading path.
struct MarkdownSection: Sendable, Equatable {
    /// The headings above the body, outermost first.
    var headingPath: [String]
    /// The body text between this section's heading and the next heading.
    var body: String

    /// Cuts `markdown` into sections at ATX (`#` … `######`) and setext (`===`, `---`) headings.
    ///
    /// A heading replaces every heading of the same or a deeper level on the path. Lines inside fenced code blocks
    /// are never headings. Line endings are normalised to `\n`. Sections with an empty body are kept, so callers
    /// decide what to skip.
    static func sections(of markdown: String) -> [MarkdownSection] {
        let normalised = markdown.replacingLineEndings()
        let lines = normalised.split(separator: "\n", omittingEmptySubsequences: false)
        var sections: [MarkdownSection] = []
        var path: [(level: Int, title: String)] = []
        var body: [Substring] = []
        var inFence = false
        func close() {
            sections.append(MarkdownSection(headingPath: path.map(\.title), body: body.joined(separator: "\n")))
            body = []
        }
        func open(level: Int, title: String) {
            close()
            path.removeAll { $0.level >= level }
            path.append((level, title))
        }
        for line in lines {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
            if !inFence, let (level, title) = atxHeading(line) {
                open(level: level, title: title)
            } else if !inFence, let level = setextLevel(line), let title = setextTitle(body) {
                body.removeLast()
                open(level: level, title: title)
            } else {
                body.append(line)
            }
        }
        close()
        return sections
    }

    /// The level and title of an ATX heading line, such as `## Refunds ##`.
    private static func atxHeading(_ line: Substring) -> (Int, String)? {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let level = rest.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        var title = rest.dropFirst(level)
        guard title.isEmpty || title.first?.isWhitespace == true else { return nil }
        title = title.drop { $0.isWhitespace }
        while title.last?.isWhitespace == true { title.removeLast() }
        let closing = title.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let beforeClosing = title.dropLast(closing)
            if beforeClosing.isEmpty || beforeClosing.last?.isWhitespace == true {
                title = beforeClosing
                while title.last?.isWhitespace == true { title.removeLast() }
            }
        }
        return (level, String(title))
    }

    /// The level of a setext underline (`===` is 1, `---` is 2).
    private static func setextLevel(_ line: Substring) -> Int? {
        let content = line.trimmingCharacters(in: .whitespaces)
        guard let first = content.first, first == "=" || first == "-", content.count >= 2,
            content.allSatisfy({ $0 == first })
        else {
            return nil
        }
        return first == "=" ? 1 : 2
    }

    /// The title a setext underline turns into a heading: a single plain line after a blank line or the start.
    private static func setextTitle(_ body: [Substring]) -> String? {
        guard let last = body.last else { return nil }
        let title = last.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty, last.prefix(while: { $0 == " " }).count <= 3 else { return nil }
        if body.count >= 2, !body[body.count - 2].allSatisfy(\.isWhitespace) { return nil }
        if let marker = title.first, "-*+>|#".contains(marker) { return nil }
        return title
    }
}
