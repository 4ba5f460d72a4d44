import Testing

@testable import ParleyKnowledge

@Suite("Chunking")
struct ChunkerTests {
    /// A sentence of exactly 6 estimated tokens (5 short words and a period), numbered so it can be told apart.
    private func sentence(_ number: Int) -> String {
        "Line number \(number) says hello."
    }

    @Test("estimated tokens: words by length, punctuation, and one per CJK character")
    func tokenEstimate() {
        #expect(Chunker.estimatedTokens(in: "Hello, world!") == 4)
        #expect(Chunker.estimatedTokens(in: "internationalization") == 4)
        #expect(Chunker.estimatedTokens(in: "e.g.") == 4)
        #expect(Chunker.estimatedTokens(in: "你好吗") == 3)
        #expect(Chunker.estimatedTokens(in: "  \n ") == 0)
        #expect(Chunker.estimatedTokens(in: sentence(3)) == 6)
    }

    @Test("whitespace-only input gives no chunks")
    func empty() {
        #expect(Chunker.chunk(markdown: "").isEmpty)
        #expect(Chunker.chunk(markdown: "  \n\n\t ").isEmpty)
        #expect(Chunker.chunk(markdown: "# Only a heading\n\n## And another").isEmpty)
        #expect(Chunker.chunk(plainText: " \n ").isEmpty)
        #expect(Chunker.chunk(faqQuestion: "Why?", answer: "  ").isEmpty)
    }

    @Test("headings build the heading path and chunks never span two sections")
    func headingPaths() {
        let markdown = """
            Preamble text.
            # Cards
            Cards intro.
            ## Ordering
            How to order.
            ### Delivery ###
            Delivery takes 5 days.
            ## Freezing
            How to freeze.
            # Fees
            Fees text.
            """
        let chunks = Chunker.chunk(markdown: markdown)
        #expect(
            chunks.map(\.headingPath) == [
                [], ["Cards"], ["Cards", "Ordering"], ["Cards", "Ordering", "Delivery"], ["Cards", "Freezing"],
                ["Fees"],
            ])
        #expect(
            chunks.map(\.text) == [
                "Preamble text.", "Cards intro.", "How to order.", "Delivery takes 5 days.", "How to freeze.",
                "Fees text.",
            ])
        #expect(chunks.map(\.position) == Array(0..<6))
    }

    @Test("setext headings count; lines in code fences and #hashtags do not")
    func headingEdgeCases() {
        let markdown =
            "Refunds\n=======\nAsk us.\n\n```sh\n# not a heading\n```\n#hashtag stays text.\n\nLimits\n---\nDaily limit."
        let chunks = Chunker.chunk(markdown: markdown)
        #expect(chunks.map(\.headingPath) == [["Refunds"], ["Refunds", "Limits"]])
        #expect(chunks.first?.text == "Ask us.\n\n```sh\n# not a heading\n```\n#hashtag stays text.")
    }

    @Test("sentences pack up to maxTokens with whole-sentence overlap")
    func overlap() {
        let text = (1...7).map(sentence).joined(separator: " ")
        let chunks = Chunker.chunk(plainText: text, options: ChunkingOptions(maxTokens: 20, overlapTokens: 8))
        #expect(
            chunks.map(\.text)
                == [
                    [1, 2, 3], [3, 4, 5], [5, 6, 7],
                ].map { $0.map(sentence).joined(separator: " ") })
        let noOverlap = Chunker.chunk(plainText: text, options: ChunkingOptions(maxTokens: 20, overlapTokens: 0))
        #expect(noOverlap.map(\.text) == [[1, 2, 3], [4, 5, 6], [7]].map { $0.map(sentence).joined(separator: " ") })
    }

    @Test("overlap never stops a chunk from adding a new sentence")
    func overlapProgress() {
        let text = [sentence(1), sentence(2), "Word " + String(repeating: "word ", count: 13) + "end."].joined(
            separator: " ")
        let chunks = Chunker.chunk(plainText: text, options: ChunkingOptions(maxTokens: 16, overlapTokens: 10))
        #expect(chunks.count == 2)
        #expect(chunks.last?.text.hasPrefix("Word") == true)
    }

    @Test("chunks stay within maxTokens and cover the text in order")
    func coverage() {
        var generator = SeededGenerator(seed: 7)
        let words = ["card", "refund", "the", "account", "transfer", "pending", "fee", "limit", "PIN", "app"]
        var sentences: [String] = []
        for _ in 0..<60 {
            let length = Int.random(in: 3...12, using: &generator)
            let body = (0..<length).map { _ in words.randomElement(using: &generator) ?? "card" }
            sentences.append(body.joined(separator: " ").capitalized + ".")
        }
        let text = sentences.joined(separator: " ")
        let options = ChunkingOptions(maxTokens: 40, overlapTokens: 10)
        let chunks = Chunker.chunk(plainText: text, options: options)
        #expect(chunks.count > 5)
        for chunk in chunks {
            #expect(Chunker.estimatedTokens(in: chunk.text) <= options.maxTokens)
            #expect(text.contains(chunk.text))
        }
        #expect(text.hasPrefix(chunks.first?.text ?? "-"))
        #expect(text.hasSuffix(chunks.last?.text ?? "-"))
        // Every sentence is in some chunk.
        for sentence in sentences {
            #expect(chunks.contains { $0.text.contains(sentence) })
        }
    }

    @Test("a sentence longer than maxTokens is cut at word boundaries")
    func longSentence() {
        let words = (1...60).map { "word\($0)" }
        let text = words.joined(separator: " ") + "."
        let options = ChunkingOptions(maxTokens: 12, overlapTokens: 0)
        let chunks = Chunker.chunk(plainText: text, options: options)
        #expect(chunks.count > 4)
        for chunk in chunks { #expect(Chunker.estimatedTokens(in: chunk.text) <= 12) }
        #expect(chunks.map(\.text).joined(separator: " ") == text)
    }

    @Test("text without spaces is cut between characters")
    func unbrokenText() {
        let cjk = String(repeating: "这是一个很长的句子没有标点", count: 20)
        let cjkChunks = Chunker.chunk(plainText: cjk, options: ChunkingOptions(maxTokens: 50, overlapTokens: 0))
        #expect(cjkChunks.map(\.text).joined() == cjk)
        #expect(cjkChunks.allSatisfy { Chunker.estimatedTokens(in: $0.text) <= 50 })

        let url = "https://example.com/" + String(repeating: "a/b-c_d/", count: 100)
        let urlChunks = Chunker.chunk(plainText: url, options: ChunkingOptions(maxTokens: 30, overlapTokens: 0))
        #expect(urlChunks.map(\.text).joined() == url)
        #expect(urlChunks.allSatisfy { Chunker.estimatedTokens(in: $0.text) <= 30 })
    }

    @Test("lists and paragraphs keep their newlines")
    func newlines() {
        let markdown =
            "## Freeze a card\nTo freeze a card:\n- Open the app\n- Tap Cards\n- Tap Freeze\n\nYou can unfreeze it later."
        let chunks = Chunker.chunk(markdown: markdown)
        #expect(chunks.count == 1)
        #expect(
            chunks.first?.text
                == "To freeze a card:\n- Open the app\n- Tap Cards\n- Tap Freeze\n\nYou can unfreeze it later.")
        #expect(chunks.first?.headingPath == ["Freeze a card"])
    }

    @Test("line endings are normalised to \\n")
    func lineEndings() {
        let chunks = Chunker.chunk(markdown: "# A\r\nOne.\r\n- two\r\n")
        #expect(chunks.map(\.text) == ["One.\n- two"])
        #expect(chunks.map(\.headingPath) == [["A"]])
    }

    @Test("an FAQ entry is one Q/A chunk")
    func faq() {
        let chunks = Chunker.chunk(faqQuestion: " How do I reset my PIN? ", answer: "Open Settings. Tap Reset PIN.\n")
        #expect(
            chunks == [
                TextChunk(
                    text: "Q: How do I reset my PIN?\nA: Open Settings. Tap Reset PIN.", headingPath: [], position: 0)
            ])
    }

    @Test("a very long FAQ answer is split, every chunk repeating the question")
    func longFAQ() {
        let answer = (1...30).map(sentence).joined(separator: " ")
        let options = ChunkingOptions(maxTokens: 40, overlapTokens: 0)
        let chunks = Chunker.chunk(faqQuestion: "Why?", answer: answer, options: options)
        #expect(chunks.count > 3)
        for chunk in chunks {
            #expect(chunk.text.hasPrefix("Q: Why?\nA: Line number"))
            #expect(Chunker.estimatedTokens(in: chunk.text) <= 40)
        }
        #expect(chunks.map(\.position) == Array(0..<chunks.count))
        #expect(chunks.map { $0.text.replacing("Q: Why?\nA: ", with: "") }.joined(separator: " ") == answer)
    }

    @Test("options are clamped to usable values")
    func optionsClamp() {
        #expect(ChunkingOptions(maxTokens: 0, overlapTokens: 5) == ChunkingOptions(maxTokens: 1, overlapTokens: 0))
        #expect(ChunkingOptions(maxTokens: 10, overlapTokens: 50).overlapTokens == 9)
        #expect(ChunkingOptions(maxTokens: 10, overlapTokens: -1).overlapTokens == 0)
        #expect(ChunkingOptions() == ChunkingOptions(maxTokens: 180, overlapTokens: 30))
    }
}
