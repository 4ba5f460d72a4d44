import Testing

@testable import ParleyKnowledge

@Suite("Sentence splitting")
struct SentenceSplitterTests {
    @Test("splits at terminators followed by space, keeping abbreviations and decimals whole")
    func abbreviationsAndDecimals() {
        let text = "Use a card, e.g. a Visa card. Fees are 3.5 EUR per transfer! Is that all? Yes."
        #expect(
            SentenceSplitter.sentences(of: text) == [
                "Use a card, e.g. a Visa card.", "Fees are 3.5 EUR per transfer!", "Is that all?", "Yes.",
            ])
    }

    @Test("does not split before a lowercase word or inside names and numbers")
    func lowercaseContinuation() {
        #expect(
            SentenceSplitter.sentences(of: "Cards, wallets, etc. are supported. Visit example.com/help today.") == [
                "Cards, wallets, etc. are supported.", "Visit example.com/help today.",
            ])
        #expect(
            SentenceSplitter.sentences(of: "Dr. Smith approx. 5 times. Done.") == [
                "Dr. Smith approx. 5 times.", "Done.",
            ])
    }

    @Test("closing quotes and brackets stay with their sentence")
    func closers() {
        #expect(
            SentenceSplitter.sentences(of: #"He said "Stop." Then he left. (It was late.) Fine."#) == [
                #"He said "Stop.""#, "Then he left.", "(It was late.)", "Fine.",
            ])
    }

    @Test("full-width terminators split without a following space")
    func cjk() {
        #expect(SentenceSplitter.sentences(of: "你好。我是客服！有问题吗？好的") == ["你好。", "我是客服！", "有问题吗？", "好的"])
        #expect(SentenceSplitter.sentences(of: "カードが届きません。どうすればいいですか？") == ["カードが届きません。", "どうすればいいですか？"])
    }

    @Test("list items, table rows and paragraphs are units; soft line breaks are not")
    func blocks() {
        let text =
            "Steps:\n- Open the app\n- Tap Cards\n\n1. Choose a card.\n2. Tap Freeze.\n\nThis sentence is\nwrapped. Next."
        let segments = SentenceSplitter.segments(of: text)
        #expect(
            segments.map(\.text) == [
                "Steps:", "- Open the app", "- Tap Cards", "1. Choose a card.", "2. Tap Freeze.",
                "This sentence is\nwrapped.", "Next.",
            ])
        #expect(segments.map(\.separator) == ["\n", "\n", "\n\n", "\n", "\n\n", " ", ""])
        #expect(TextSegment.join(segments) == text)
    }

    @Test("a fenced code block stays one unit")
    func codeBlock() {
        let text = "Run this:\n```\nparley serve. --port 8080\nparley check.\n```\nDone."
        #expect(
            SentenceSplitter.sentences(of: text) == [
                "Run this:", "```\nparley serve. --port 8080\nparley check.\n```", "Done.",
            ])
    }

    @Test(
        "joining segments gives back the text after leading whitespace",
        arguments: [
            "  One. Two!  Three?\n\n- four\n- five\n\tsix. ",
            "No terminator at all",
            "Mixed 中文。English. Más texto ¿sí? Claro.",
        ])
    func roundTrip(text: String) {
        let segments = SentenceSplitter.segments(of: text)
        #expect(TextSegment.join(segments) == text.trimmedWhitespace())
    }

    @Test("whitespace-only text has no sentences")
    func empty() {
        #expect(SentenceSplitter.segments(of: "").isEmpty)
        #expect(SentenceSplitter.segments(of: " \n\t\n ").isEmpty)
    }
}
