/// Cuts documents into chunks for indexing: Markdown by heading, plain text, and FAQ entries.
///
/// Within a section the text is cut into sentences (after `.`, `!`, `?`, `。`, `！`, `？` followed by whitespace or
/// the end, keeping abbreviations such as `e.g.` and decimals such as `3.5` whole; list items, table rows and fenced
/// code blocks are units of their own), and sentences are packed greedily into chunks of at most
/// ``ChunkingOptions/maxTokens`` estimated tokens. Consecutive chunks of a section repeat whole trailing sentences
/// of up to ``ChunkingOptions/overlapTokens``. A sentence longer than `maxTokens` is cut at word boundaries
/// (between characters for Han and kana), and a single word longer than that between characters.
///
/// Token counts are estimates, not a tokenizer's: a word counts one token per started 6 letters or digits (3 for
/// Thai, Lao, Khmer, Myanmar), every punctuation mark or symbol counts one, every Han, kana or Hangul character
/// counts one, whitespace is free (``estimatedTokens(in:)``). This tracks WordPiece tokenizers such as
/// all-MiniLM-L6-v2's and errs high, so a chunk of the default 180 fits the model's 256-token window.
///
/// Chunk text is a verbatim run of the source, so lists and paragraphs keep their newlines; the heading lines
/// themselves are not part of the text (they are in ``TextChunk/headingPath``; an indexer may prefix them).
public enum Chunker {
    /// Cuts Markdown into chunks, each under one heading path.
    ///
    /// ATX (`#`…`######`) and setext headings set the heading path, and no chunk spans two sections.
    /// Whitespace-only input gives no chunks.
    public static func chunk(markdown: String, options: ChunkingOptions = ChunkingOptions()) -> [TextChunk] {
        var chunks: [TextChunk] = []
        for section in MarkdownSection.sections(of: markdown) {
            for text in chunkTexts(section.body, options: options) {
                chunks.append(TextChunk(text: text, headingPath: section.headingPath, position: chunks.count))
            }
        }
        return chunks
    }

    /// Cuts plain text into chunks with an empty heading path.
    ///
    /// Whitespace-only input gives no chunks.
    public static func chunk(plainText: String, options: ChunkingOptions = ChunkingOptions()) -> [TextChunk] {
        let normalised = plainText.replacingLineEndings()
        return chunkTexts(normalised, options: options).enumerated().map { offset, text in
            TextChunk(text: text, headingPath: [], position: offset)
        }
    }

    /// Makes the chunk `"Q: question\nA: answer"` of one FAQ entry.
    ///
    /// When the entry is over `maxTokens`, the answer is cut as plain text and every chunk repeats the question
    /// (`"Q: question\nA: part"`), so each stays a self-contained FAQ chunk. An empty answer gives no chunks.
    public static func chunk(
        faqQuestion: String, answer: String, options: ChunkingOptions = ChunkingOptions()
    ) -> [TextChunk] {
        let question = faqQuestion.replacingLineEndings().trimmedWhitespace()
        let answer = answer.replacingLineEndings().trimmedWhitespace()
        guard !answer.isEmpty else { return [] }
        let prefix = "Q: \(question)\nA: "
        let whole = prefix + answer
        if estimatedTokens(in: whole) <= options.maxTokens {
            return [TextChunk(text: whole, headingPath: [], position: 0)]
        }
        let budget = max(options.maxTokens - estimatedTokens(in: prefix), max(1, options.maxTokens / 2))
        let answerOptions = ChunkingOptions(maxTokens: budget, overlapTokens: options.overlapTokens)
        return chunkTexts(answer, options: answerOptions).enumerated().map { offset, text in
            TextChunk(text: prefix + text, headingPath: [], position: offset)
        }
    }

    /// Returns the estimated token count of `text`, by the approximation documented on ``Chunker``.
    public static func estimatedTokens(in text: String) -> Int {
        ChunkTokenEstimator.count(text)
    }

    // MARK: - Packing

    /// Cuts one section's body into chunk texts.
    static func chunkTexts(_ body: String, options: ChunkingOptions) -> [String] {
        var segments: [TextSegment] = []
        for segment in SentenceSplitter.segments(of: body) {
            segments.append(contentsOf: split(segment, maxTokens: options.maxTokens))
        }
        let counts = segments.map { ChunkTokenEstimator.count($0.text) }
        return pack(counts: counts, options: options).map { TextSegment.join(segments[$0]) }
    }

    /// Groups consecutive units into chunks of at most `maxTokens`, with trailing-unit overlap.
    ///
    /// Every chunk holds at least one unit not in the previous chunk, so packing always ends.
    static func pack(counts: [Int], options: ChunkingOptions) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < counts.count {
            var end = start
            var total = 0
            while end < counts.count, end == start || total + counts[end] <= options.maxTokens {
                total += counts[end]
                end += 1
            }
            ranges.append(start..<end)
            guard end < counts.count else { break }
            var next = end
            var overlap = 0
            while next - 1 > start, overlap + counts[next - 1] <= options.overlapTokens,
                overlap + counts[next - 1] + counts[end] <= options.maxTokens
            {
                next -= 1
                overlap += counts[next]
            }
            start = next
        }
        return ranges
    }

    /// Cuts a unit longer than `maxTokens` at word boundaries, and a word longer than that between characters.
    static func split(_ segment: TextSegment, maxTokens: Int) -> [TextSegment] {
        guard ChunkTokenEstimator.count(segment.text) > maxTokens else { return [segment] }
        var pieces: [TextSegment] = []
        var current: [TextSegment] = []
        var currentTokens = 0
        func flush() {
            guard let last = current.last else { return }
            pieces.append(TextSegment(TextSegment.join(current), separator: last.separator))
            current = []
            currentTokens = 0
        }
        for word in words(of: segment) {
            for part in splitWord(word, maxTokens: maxTokens) {
                let tokens = ChunkTokenEstimator.count(part.text)
                if !current.isEmpty, currentTokens + tokens > maxTokens { flush() }
                current.append(part)
                currentTokens += tokens
            }
        }
        flush()
        return pieces
    }

    /// The words of a unit, each with the whitespace after it; every Han, kana or Hangul character is a word.
    private static func words(of segment: TextSegment) -> [TextSegment] {
        let characters = Array(segment.text)
        var words: [TextSegment] = []
        var index = 0
        while index < characters.count {
            var end = index + 1
            if !ChunkTokenEstimator.isIdeographic(characters[index]) {
                while end < characters.count, !characters[end].isWhitespace,
                    !ChunkTokenEstimator.isIdeographic(characters[end])
                {
                    end += 1
                }
            }
            var next = end
            while next < characters.count, characters[next].isWhitespace { next += 1 }
            words.append(TextSegment(String(characters[index..<end]), separator: String(characters[end..<next])))
            index = next
        }
        if !words.isEmpty { words[words.count - 1].separator = segment.separator }
        return words
    }

    /// Cuts a word longer than `maxTokens` between characters.
    private static func splitWord(_ word: TextSegment, maxTokens: Int) -> [TextSegment] {
        guard ChunkTokenEstimator.count(word.text) > maxTokens else { return [word] }
        var parts: [TextSegment] = []
        var current = ""
        var estimator = ChunkTokenEstimator()
        for character in word.text {
            var next = estimator
            next.add(character)
            if !current.isEmpty, next.total > maxTokens {
                parts.append(TextSegment(current))
                current = ""
                next = ChunkTokenEstimator()
                next.add(character)
            }
            current.append(character)
            estimator = next
        }
        parts.append(TextSegment(current, separator: word.separator))
        return parts
    }
}
