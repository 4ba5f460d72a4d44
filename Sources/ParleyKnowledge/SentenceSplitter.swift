/// Splits text into sentences, list items, table rows and code blocks, keeping the whitespace between them.
///
/// The text is first cut into blocks at blank lines and at lines that start a Markdown block (a list item, a
/// quote, a table row, a heading, a code fence); a fenced code block stays whole. Prose blocks are then cut after
/// `.`, `!`, `?`, `…`, `؟`, `।` when followed by whitespace or the end (closing quotes and brackets may come in
/// between), and after `。`, `！`, `？` anywhere. A period does not end a sentence after a known abbreviation
/// (`e.g.`, `Dr.`, `approx.`, `z.B.`), after an ordered-list number at the start of a line, or when the next word
/// starts with a lowercase letter; decimals such as `3.5` and names such as `example.com` are never cut because no
/// whitespace follows their period. Soft line breaks inside a paragraph do not end a sentence.
enum SentenceSplitter {
    /// Returns the segments of `text`, in order.
    static func segments(of text: String) -> [TextSegment] {
        let characters = Array(text)
        var ranges: [Range<Int>] = []
        for block in blocks(in: characters) {
            if block.isCode {
                ranges.append(block.range)
            } else {
                ranges.append(contentsOf: sentences(in: characters, range: block.range))
            }
        }
        var segments: [TextSegment] = []
        segments.reserveCapacity(ranges.count)
        for (offset, range) in ranges.enumerated() {
            let separatorEnd = offset + 1 < ranges.count ? ranges[offset + 1].lowerBound : range.upperBound
            segments.append(
                TextSegment(
                    String(characters[range]),
                    separator: String(characters[range.upperBound..<max(range.upperBound, separatorEnd)])
                )
            )
        }
        return segments
    }

    /// Returns the sentences of `text` as strings, in order.
    static func sentences(of text: String) -> [String] {
        segments(of: text).map(\.text)
    }

    // MARK: - Blocks

    /// A run of lines that forms one Markdown block.
    private struct Block {
        var range: Range<Int>
        var isCode: Bool
    }

    /// The kind of line that decides how lines group into blocks.
    private enum LineKind {
        case blank, fence, listItem, single, indented, text
    }

    private static func blocks(in characters: [Character]) -> [Block] {
        var lines: [Range<Int>] = []
        var lineStart = 0
        for (index, character) in characters.enumerated() where character.isNewline {
            lines.append(lineStart..<index)
            lineStart = index + 1
        }
        lines.append(lineStart..<characters.count)

        var blocks: [Block] = []
        var current: Range<Int>?
        var currentKind = LineKind.blank
        var openFence: Range<Int>?
        func close() {
            if let range = current, let trimmed = trim(range, in: characters) {
                blocks.append(Block(range: trimmed, isCode: false))
            }
            current = nil
        }
        for line in lines {
            let kind = lineKind(characters[line])
            if let fenceStart = openFence {
                if kind == .fence {
                    blocks.append(Block(range: fenceStart.lowerBound..<line.upperBound, isCode: true))
                    openFence = nil
                } else {
                    openFence = fenceStart.lowerBound..<line.upperBound
                }
                continue
            }
            switch kind {
            case .blank:
                close()
            case .fence:
                close()
                openFence = line
            case .listItem, .single:
                close()
                current = line
            case .indented where currentKind == .listItem && current != nil:
                current = (current ?? line).lowerBound..<line.upperBound
                continue  // a continuation line keeps the block a list item
            case .indented, .text:
                if let range = current, currentKind == .text || currentKind == .indented {
                    current = range.lowerBound..<line.upperBound
                } else {
                    close()
                    current = line
                }
            }
            currentKind = kind
        }
        close()
        if let fence = openFence, let trimmed = trim(fence, in: characters) {
            blocks.append(Block(range: trimmed, isCode: true))  // an unclosed fence runs to the end
        }
        return blocks
    }

    private static func lineKind(_ line: ArraySlice<Character>) -> LineKind {
        guard let first = line.firstIndex(where: { !$0.isWhitespace }) else { return .blank }
        let content = line[first...]
        let isIndented = first > line.startIndex
        if content.starts(with: ["`", "`", "`"]) || content.starts(with: ["~", "~", "~"]) { return .fence }
        if let marker = content.first, ["-", "*", "+"].contains(marker) {
            let next = content.dropFirst().first
            if next == nil || next?.isWhitespace == true { return .listItem }
        }
        let digits = content.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3 {
            let rest = content.dropFirst(digits.count)
            if let marker = rest.first, marker == "." || marker == ")" {
                let next = rest.dropFirst().first
                if next == nil || next?.isWhitespace == true { return .listItem }
            }
        }
        if let marker = content.first, marker == ">" || marker == "|" || marker == "#" { return .single }
        return isIndented ? .indented : .text
    }

    private static func trim(_ range: Range<Int>, in characters: [Character]) -> Range<Int>? {
        guard let start = range.first(where: { !characters[$0].isWhitespace }),
            let last = range.last(where: { !characters[$0].isWhitespace })
        else { return nil }
        return start..<(last + 1)
    }

    // MARK: - Sentences

    private static let terminators: Set<Character> = [".", "!", "?", "…", "؟", "।", "॥"]
    private static let wideTerminators: Set<Character> = ["。", "！", "？", "｡"]
    private static let closers: Set<Character> = ["\"", "'", "”", "’", "»", ")", "]", "}", "」", "』", "）", "*", "_"]
    private static let openers: Set<Character> = ["\"", "'", "“", "‘", "«", "(", "[", "{", "*", "_"]

    /// Abbreviations, lowercased without their final period, after which a period never ends a sentence.
    private static let abbreviations: Set<String> = [
        "e.g", "i.e", "cf", "vs", "viz", "approx", "appr", "ca", "nr", "nos", "vol", "fig", "figs", "pp", "mr",
        "mrs", "ms", "dr", "prof", "st", "sr", "jr", "dept", "incl", "excl", "tel", "e.v", "z.b", "d.h", "u.a",
        "bzw", "usw", "ggf", "evtl", "inkl", "str", "sog", "p.ex", "ej", "sra", "srta", "núm", "mme", "mlle",
        "ziff", "nº",
    ]

    private static func sentences(in characters: [Character], range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        var index = range.lowerBound
        func emit(until end: Int) {
            if let trimmed = trim(start..<end, in: characters) { result.append(trimmed) }
            var next = end
            while next < range.upperBound, characters[next].isWhitespace { next += 1 }
            start = next
            index = next
        }
        while index < range.upperBound {
            let character = characters[index]
            if wideTerminators.contains(character) {
                var end = index + 1
                while end < range.upperBound,
                    wideTerminators.contains(characters[end]) || closers.contains(characters[end])
                {
                    end += 1
                }
                emit(until: end)
                continue
            }
            guard terminators.contains(character) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < range.upperBound, terminators.contains(characters[end]) { end += 1 }
            let runIsPeriods = characters[index..<end].allSatisfy { $0 == "." || $0 == "…" }
            while end < range.upperBound, closers.contains(characters[end]) { end += 1 }
            guard end == range.upperBound || characters[end].isWhitespace else {
                index = end
                continue
            }
            if runIsPeriods && periodContinues(characters, period: index, after: end, range: range) {
                index = end
                continue
            }
            emit(until: end)
        }
        if start < range.upperBound { emit(until: range.upperBound) }
        return result
    }

    /// Whether the period run at `period`, followed by whitespace at `after`, does not end a sentence.
    private static func periodContinues(
        _ characters: [Character], period: Int, after: Int, range: Range<Int>
    ) -> Bool {
        var next = after
        while next < range.upperBound, characters[next].isWhitespace { next += 1 }
        while next < range.upperBound, openers.contains(characters[next]) { next += 1 }
        if next < range.upperBound, characters[next].isLowercase { return true }

        var wordStart = period
        while wordStart > range.lowerBound, !characters[wordStart - 1].isWhitespace,
            !openers.contains(characters[wordStart - 1])
        {
            wordStart -= 1
        }
        let word = String(characters[wordStart..<period]).lowercased()
        if abbreviations.contains(word) { return true }
        var before = wordStart - 1
        while before >= range.lowerBound, characters[before].isWhitespace, !characters[before].isNewline { before -= 1 }
        let isLineStart = before < range.lowerBound || characters[before].isNewline
        if isLineStart, !word.isEmpty, word.count <= 3, word.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        return false
    }
}
